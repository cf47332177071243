from django.urls import path

from .views import applying, catalogue, following, paying

app_name = "portal"

urlpatterns = [
    path("", catalogue.home, name="home"),
    path("procedures/", catalogue.catalogue, name="catalogue"),
    path("procedures/<str:code>/", catalogue.procedure, name="procedure"),
    path("procedures/<str:code>/apply/", applying.apply, name="apply"),
    path("my/dossiers/", following.my_dossiers, name="my-dossiers"),
    path("my/claim/", following.claim, name="claim"),
    path("my/dossiers/<str:pk>/", following.dossier, name="dossier"),
    path("my/dossiers/<str:pk>/form/", applying.form, name="form"),
    path("my/dossiers/<str:pk>/form/state/", applying.form_state, name="form-state"),
    path("my/dossiers/<str:pk>/papers/", applying.papers, name="papers"),
    path("my/dossiers/<str:pk>/review/", applying.review, name="review"),
    path("my/dossiers/<str:pk>/supplement/", following.supplement, name="supplement"),
    path("my/dossiers/<str:pk>/withdraw/", following.withdraw, name="withdraw"),
    path("my/dossiers/<str:pk>/rate/", following.rate, name="rate"),
    path("my/dossiers/<str:pk>/pay/", paying.pay, name="pay"),
    path("payments/<str:provider>/return/", paying.payment_return, name="payment-return"),
    path("track/", following.track, name="track"),
]
