"""The example plug-in: its procedure runs end to end and its event handler reacts."""

from egov.catalog import selectors
from egov.documents.selectors import result_template_slugs
from plugins.street_vending.models import PavementPermit
from tests.dossiers.helpers import drive_to_end, file_dossier


def test_the_plugin_procedure_runs_end_to_end(demo, django_capture_on_commit_callbacks):
    assert selectors.version_in_force("9.000001.H56") is not None  # loaded by seed_demo from the plug-in
    assert "street-vending-permit" in result_template_slugs()
    data = {"street": "23 Hùng Vương", "commune": "000.17.22.H56", "stall_area": "2.5", "hours": "evening"}
    with django_capture_on_commit_callbacks(execute=True):
        submitted = file_dossier(demo["congdan"], "9.000001.H56", data)
        moves = drive_to_end(submitted["id"], demo["quantri"])
    assert moves[-1] == ("return", "returned") and ("payment", "paid") in moves
    permit = PavementPermit.objects.get(dossier_code=submitted["code"])
    assert permit.street == "23 Hùng Vương" and float(permit.stall_area) == 2.5
    from egov.documents.models import Document

    result = Document.objects.get(dossier_id=submitted["id"], kind="result")
    assert result.status == "ready" and result.template == "street-vending-permit"
