from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import calendar, procedures

app_name = "api"

router = SimpleRouter()
router.register("procedures", procedures.ProcedureViewSet, basename="procedure")

urlpatterns = [
    path("calendar/due-date/", calendar.DueDateView.as_view(), name="calendar-due-date"),
    path("", include(router.urls)),
]
