"""A dossier driven end to end through the service layer."""

import pytest

from egov.dossiers import services
from egov.dossiers.models import Dossier
from egov.dossiers.selectors import my_tasks, team_queue
from workflows.models import DossierTask

HOUSEHOLD = {
    "business_name": "Quán cà phê Gió Lào",
    "business_address": "12 Lê Duẩn, Đông Hà",
    "business_commune": "000.17.22.H56",
    "activities": "Cà phê, giải khát",
    "capital": 50000000,
}


def open_task(dossier, user):
    task = team_queue(user).filter(dossier=dossier).first() or my_tasks(user).filter(dossier=dossier).first()
    assert task is not None, f"{user.username} has no task for {dossier}"
    return task


def do(user, dossier, outcome, **kwargs):
    task = open_task(dossier, user)
    services.complete_task(user, task.pk, outcome, **kwargs)
    dossier.refresh_from_db()
    return dossier


@pytest.mark.django_db(transaction=False)
def test_household_business_online(demo, pdf_file):
    citizen = demo["congdan"]
    dossier = services.create_draft(citizen, "2.000575", HOUSEHOLD)
    assert dossier.data["owner_name"] == citizen.full_name  # prefilled
    services.add_attachment(citizen, dossier, "application", pdf_file())
    services.add_attachment(citizen, dossier, "owner_id", pdf_file())
    dossier = services.submit(citizen, dossier)
    assert dossier.code.startswith("000.17.22.H56-")
    assert dossier.status == Dossier.Status.SUBMITTED
    assert dossier.fee_amount == 0  # online: no fee

    dossier = do(demo["tiepnhan.dongha"], dossier, "accept")
    assert dossier.accepted_at and dossier.due_at
    assert dossier.status == Dossier.Status.IN_PROGRESS
    dossier = do(demo["congchuc.dongha"], dossier, "forward")
    assert dossier.status == Dossier.Status.AWAITING_APPROVAL
    dossier = do(demo["chutich.dongha"], dossier, "approve")
    dossier = do(demo["congchuc.dongha"], dossier, "issue")
    assert dossier.status == Dossier.Status.READY_FOR_RETURN
    dossier = do(demo["tiepnhan.dongha"], dossier, "returned", data={"how": "electronic"})
    assert dossier.status == Dossier.Status.RETURNED
    assert dossier.timeliness in ("early", "on_time")
    slip = list(dossier.handovers.values_list("step_key", "outcome"))
    assert slip == [("intake", "accept"), ("appraise", "forward"), ("approve", "approve"), ("issue", "issue"),
                    ("return", "returned")]
    assert not DossierTask.objects.filter(dossier=dossier, status__in=["NEW", "ASSIGNED", "STARTED"]).exists()
    assert dossier.process.status == "DONE"
