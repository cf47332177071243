from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import calendar, documents, dossiers, events, payments, procedures, stats, tasks

app_name = "api"

router = SimpleRouter()
router.register("procedures", procedures.ProcedureViewSet, basename="procedure")
router.register("dossiers", dossiers.DossierViewSet, basename="dossier")
router.register("tasks", tasks.TaskViewSet, basename="task")

urlpatterns = [
    path("calendar/due-date/", calendar.DueDateView.as_view(), name="calendar-due-date"),
    path("documents/<str:pk>/download/", documents.DocumentDownloadView.as_view(), name="document-download"),
    path("events/types/", events.EventTypesView.as_view(), name="event-types"),
    path("stats/figures/", stats.FiguresView.as_view(), name="stats-figures"),
    path("open-data/figures/", stats.OpenDataView.as_view(), name="open-data-figures"),
    path("stats/reports/", stats.ReportView.as_view(), name="stats-reports"),
    path("stats/index/", stats.IndexView.as_view(), name="stats-index"),
    path("register/", documents.RegisterView.as_view(), name="register"),
    path("track/", dossiers.TrackView.as_view(), name="track"),
    path("payments/<str:provider>/ipn/", payments.NotificationView.as_view(), name="payment-notification"),
    path("track/<str:code>/", dossiers.TrackByLinkView.as_view(), name="track-by-link"),
    path("", include(router.urls)),
]
