"""A custom flow beside the generic one, chosen per procedure code."""

from egov.dossiers.models import Dossier
from workflows import registry
from workflows.custom.desk_same_day import DeskSameDayFlow

from .helpers import drive_to_end, file_dossier


def test_a_procedure_can_run_a_custom_flow(demo, settings):
    settings.EGOV_CUSTOM_FLOWS = {"2.000908": "workflows.custom.desk_same_day.DeskSameDayFlow"}
    registry._custom_flows.cache_clear()
    try:
        submitted = file_dossier(demo["congdan"], "2.000908")
        moves = drive_to_end(submitted["id"], demo["quantri"])
    finally:
        registry._custom_flows.cache_clear()
    dossier = Dossier.objects.get(pk=submitted["id"])
    assert dossier.process.flow_class is DeskSameDayFlow
    assert moves == [("intake", "accept"), ("return", "returned")]
    assert dossier.status == "returned" and dossier.issued_at and dossier.timeliness
