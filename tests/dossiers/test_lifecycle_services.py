"""A dossier driven end to end through the service layer."""

import pytest

from egov.dossiers import services
from egov.dossiers.models import Dossier
from tests.dossiers.helpers import do
from tests.factories import household, household_data, paper
from workflows.models import DossierTask


@pytest.mark.django_db(transaction=False)
def test_household_business_online():
    world = household()
    citizen = world.citizen
    dossier = services.create_draft(citizen, world.code, household_data(world))
    assert dossier.data["owner_name"] == citizen.full_name  # prefilled
    services.add_attachment(citizen, dossier, "application", paper())
    services.add_attachment(citizen, dossier, "owner_id", paper())
    dossier = services.submit(citizen, dossier, consent=True)
    assert dossier.code.startswith(f"{world.agency.code}-")
    assert dossier.status == Dossier.Status.SUBMITTED
    assert dossier.fee_amount == 0  # online: no fee

    dossier = do(world.intake, dossier, "accept")
    assert dossier.accepted_at and dossier.due_at
    assert dossier.status == Dossier.Status.IN_PROGRESS
    dossier = do(world.case_officer, dossier, "forward")
    assert dossier.status == Dossier.Status.AWAITING_APPROVAL
    dossier = do(world.approver, dossier, "approve")
    dossier = do(world.clerk, dossier, "issue")
    assert dossier.status == Dossier.Status.READY_FOR_RETURN
    dossier = do(world.intake, dossier, "returned", data={"how": "electronic"})
    assert dossier.status == Dossier.Status.RETURNED
    assert dossier.timeliness in ("early", "on_time")
    slip = list(dossier.handovers.values_list("step_key", "outcome"))
    assert slip == [("intake", "accept"), ("appraise", "forward"), ("approve", "approve"), ("issue", "issue"),
                    ("return", "returned")]
    assert not DossierTask.objects.filter(dossier=dossier, status__in=["NEW", "ASSIGNED", "STARTED"]).exists()
    assert dossier.process.status == "DONE"
