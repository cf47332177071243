"""A commune's morning, shared by the figures and the index tests."""

import pytest

from egov.common.vocabulary import Role
from egov.dossiers import services
from egov.dossiers.models import Dossier
from tests.dossiers.helpers import act, client_for, drive_to_end, file_dossier, officer_for, open_tasks
from tests.factories import AgencyFactory, CitizenFactory, StaffFactory, commune, step


@pytest.fixture
def world(db):
    """A commune deciding its procedure in three steps (appraise, approve, issue) with an officer
    for every role, two citizens, another commune, and an administrator who sees every unit
    (tests/factories.py)."""
    world = commune(steps=[
        step("appraise", Role.CASE_OFFICER, ["forward", "supplement"]),
        step("approve", Role.APPROVER, ["approve", "reject"]),
        step("issue", Role.CLERK, ["issue"]),
    ])  # fmt: skip
    world.neighbour = CitizenFactory()
    world.other = AgencyFactory()
    world.admin = StaffFactory(is_superuser=True, is_staff=True)
    return world


def file(world, citizen=None):
    """The world's procedure filed online with its papers, through the API (its JSON)."""
    citizen = citizen or world.citizen
    return file_dossier(citizen, world.code, {"full_name": citizen.full_name, "commune": world.agency.code})


@pytest.fixture
def activity(world, django_capture_on_commit_callbacks):
    """A morning at the commune's desk: some dossiers through to the result, some refused, one withdrawn."""
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(6):
            dossier = file(world)
            drive_to_end(dossier["id"], world.manager)
            services.rate(world.citizen, Dossier.objects.get(pk=dossier["id"]), 4, "Nhanh")
        refused = file(world, world.neighbour)
        task = open_tasks(refused["id"], world.manager)[0]
        answer = act(officer_for(task), task["id"], "supplement", {"documents": ["application"]}, "Thiếu")
        assert answer.status_code == 200, answer.json()
        withdrawn = file(world, world.neighbour)
        assert client_for(world.neighbour).post(f"/api/v1/dossiers/{withdrawn['id']}/withdraw/").status_code == 200
    return world
