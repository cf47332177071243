"""A custom flow beside the generic one, chosen per procedure code."""

import pytest

from egov.common.vocabulary import Role
from egov.dossiers.models import Dossier
from tests.factories import AgencyFactory, CitizenFactory, administrator, demo_procedure, officer
from workflows import registry
from workflows.custom.desk_same_day import DeskSameDayFlow

from .helpers import drive_to_end, file_dossier

pytestmark = pytest.mark.django_db


def test_a_procedure_can_run_a_custom_flow(settings):
    commune = AgencyFactory()
    # The commune's desk; the flow has no handling steps, so no other officer takes part.
    officer(Role.INTAKE_OFFICER, commune)
    code = demo_procedure("copy-from-master-register.yaml").procedure.code  # 2.000908
    data = {"record_type": "birth", "copies": 1, "keeping_commune": commune.code}
    settings.EGOV_CUSTOM_FLOWS = {code: "workflows.custom.desk_same_day.DeskSameDayFlow"}
    registry._custom_flows.cache_clear()
    try:
        submitted = file_dossier(CitizenFactory(), code, data)
        moves = drive_to_end(submitted["id"], administrator())
    finally:
        registry._custom_flows.cache_clear()
    dossier = Dossier.objects.get(pk=submitted["id"])
    assert dossier.process.flow_class is DeskSameDayFlow
    assert moves == [("intake", "accept"), ("return", "returned")]
    assert dossier.status == "returned" and dossier.issued_at and dossier.timeliness
