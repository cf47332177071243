"""What the document tests build (tests/factories.py): the ward of Đông Hà receiving and deciding
the household-business procedure (egov/catalog/demo_procedures), with the names and addresses the
demo province gives the ward, its province and its applicant Nguyễn Văn An: the reference receipt
(data/receipt-vi.png) prints them."""

import datetime
from types import SimpleNamespace

import pytest

from egov.agencies.models import Agency
from egov.common.vocabulary import Role
from tests.dossiers.helpers import act, file_dossier, officer_for, open_tasks
from tests.factories import HOUSEHOLD_BUSINESS, AgencyFactory, CitizenFactory, demo_procedure, household_data, officer


def dong_ha():
    """Ủy ban nhân dân phường Đông Hà under its province: its one-stop desk, a case officer, the
    chairman (approver), a clerk, the centre manager, the applicant Nguyễn Văn An, and the
    household-business procedure it decides."""
    # A receipt's header names the unit, its parent and the province's place; its footer, the desk's address.
    province = AgencyFactory(name="Ủy ban nhân dân tỉnh Quảng Trị", level=Agency.Level.PROVINCE)
    unit = AgencyFactory(
        name="Ủy ban nhân dân phường Đông Hà", level=Agency.Level.COMMUNE, parent=province,
        address="Số 8 Trần Hưng Đạo, phường Đông Hà", phone="0233 3855 123",
    )  # fmt: skip
    world = SimpleNamespace(
        province=province,
        agency=unit,
        intake=officer(Role.INTAKE_OFFICER, unit),
        case_officer=officer(Role.CASE_OFFICER, unit),
        approver=officer(Role.APPROVER, unit),
        clerk=officer(Role.CLERK, unit),
        manager=officer(Role.CENTER_MANAGER, unit),
        citizen=CitizenFactory(
            full_name="Nguyễn Văn An",
            personal_id="045090001234",
            date_of_birth=datetime.date(1990, 5, 12),
            email="an.nguyen@example.vn",
            phone="0912345678",
            address="Số 12 Lê Lợi, phường Đông Hà, tỉnh Quảng Trị",
        ),
    )
    world.version = demo_procedure(HOUSEHOLD_BUSINESS)
    world.code = world.version.procedure.code
    return world


@pytest.fixture
def ward(db):
    return dong_ha()


def file_with(world, citizen=None, **data):
    """A household business filed online by ``citizen`` (the world's by default), through the API."""
    citizen = citizen or world.citizen
    return file_dossier(citizen, world.code, household_data(world, citizen, **data))


def step(world, dossier_id, outcome, data=None, note=""):
    """The open task of the dossier completed by an officer holding its role, through the API."""
    task = open_tasks(dossier_id, world.manager)[0]
    answer = act(officer_for(task), task["id"], outcome, data, note)
    assert answer.status_code == 200, answer.json()
    return task
