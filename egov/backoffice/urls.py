from django.urls import path

from . import views

app_name = "backoffice"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("claim/", views.claim_many, name="claim-many"),
    path("tasks/<int:task_id>/", views.task_action, name="task-action"),
    path("tasks/<int:task_id>/complete/", views.complete, name="complete"),
    path("dossiers/<str:pk>/", views.dossier, name="dossier"),
    path("dossiers/<str:pk>/apologise/", views.apologise, name="apologise"),
    path("desk/", views.desk, name="desk"),
    path("desk/organizations/new/", views.register_organization, name="register-organization"),
]
