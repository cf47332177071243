"""Moving open dossiers to a newer version (issue 23, item 5): an explicit plan the
administrator reviews (where each lands, its clock, who cannot move and why), applied one
transaction per dossier, audited, reversible until the next hand-over."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from egov.audit.models import AuditRecord
from egov.catalog.services import import_definition, publish_version
from egov.common.errors import Conflict, NotAllowed
from egov.common.vocabulary import Role
from egov.dossiers import services
from egov.dossiers.models import Dossier, VersionMove
from egov.dossiers.selectors import open_tasks
from egov.dossiers.services import versions
from tests.factories import DefinitionFactory, administrator, commune, step, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_english():
    """The plan's words are read in English below, whatever an earlier test left active."""
    with translation.override("en"):
        yield

STEPS = [step("appraise", Role.CASE_OFFICER, ["forward", "supplement"]),
         step("approve", Role.APPROVER, ["approve", "send_back", "reject"])]  # fmt: skip


def new_version(world, **changes):
    definition = DefinitionFactory(code=world.code, steps=STEPS, **changes)
    version = import_definition(definition).version
    return publish_version(version, effective_from=timezone.now() - datetime.timedelta(seconds=1))


def act(user, dossier, outcome):
    task = open_tasks(dossier)[0]
    services.claim(user, task.pk)
    services.complete_task(user, task.pk, outcome, note="ok")
    return Dossier.objects.get(pk=dossier.pk)


@pytest.fixture
def world():
    """Three open dossiers of version 1: one at intake, one at appraisal, one at approval."""
    world = commune(steps=STEPS, time_limit={"working_days": 3})
    world.at_intake = submitted(world)
    world.at_appraisal = act(world.intake, submitted(world), "accept")
    world.at_approval = act(world.case_officer, act(world.intake, submitted(world), "accept"), "forward")
    world.admin = administrator()
    return world


def test_the_plan_says_where_each_dossier_lands_and_what_happens_to_its_clock(world):
    second = new_version(world, time_limit={"working_days": 5})
    landings = {x.dossier.pk: x for x in versions.plan(second)}
    assert set(landings) == {world.at_intake.pk, world.at_appraisal.pk, world.at_approval.pk}
    assert all(x.movable for x in landings.values())
    assert landings[world.at_appraisal.pk].step_name == "Step appraise"
    assert landings[world.at_approval.pk].step_index == 1
    # kept: the due date at receipt, and the plan says the limit differs
    kept = landings[world.at_approval.pk]
    assert kept.due_at == world.at_approval.due_at and "time limit differs" in " ".join(kept.notes)
    # recomputed: from the acceptance under the new limit, two working days later
    later = versions.plan(second, versions.RECOMPUTE)
    recomputed = next(x for x in later if x.dossier.pk == world.at_approval.pk)
    assert recomputed.due_at > world.at_approval.due_at
    assert (recomputed.due_at - world.at_approval.due_at) >= datetime.timedelta(days=2)
    # the plan wrote nothing
    assert not VersionMove.objects.exists()
    assert Dossier.objects.get(pk=world.at_approval.pk).version_id == world.version.pk


def test_moving_applies_the_plan_and_the_dossier_carries_on_under_the_new_version(world):
    second = new_version(world, time_limit={"working_days": 5})
    ids = [str(world.at_intake.pk), str(world.at_appraisal.pk), str(world.at_approval.pk)]
    moved, refused = versions.move(world.admin, second, ids, versions.RECOMPUTE)
    assert len(moved) == 3 and refused == {}
    dossier = Dossier.objects.get(pk=world.at_approval.pk)
    assert dossier.version_id == second.pk and dossier.time_limit == {"working_days": 5}
    assert dossier.process.step_index == 1
    task = open_tasks(dossier)[0]
    assert task.step_key == "approve" and task.step_index == 1 and task.dossier_due_at == dossier.due_at
    record = AuditRecord.objects.get(action="dossier.version_moved", object_id=str(dossier.pk))
    assert record.before["number"] == 1 and record.after["number"] == 2
    # the next hand-over happens under version 2; from then on the move stays
    dossier = act(world.approver, dossier, "approve")
    assert dossier.status == Dossier.Status.READY_FOR_RETURN
    move = VersionMove.objects.get(dossier=dossier)
    with pytest.raises(Conflict) as refused:
        versions.revert(world.admin, move.pk)
    assert refused.value.code == "handled_since"
    # at intake the clock starts under the new limit when the dossier is accepted
    dossier = act(world.intake, Dossier.objects.get(pk=world.at_intake.pk), "accept")
    assert dossier.time_limit == {"working_days": 5}


def test_a_move_is_put_back_until_the_next_hand_over(world):
    before = Dossier.objects.get(pk=world.at_appraisal.pk)
    second = new_version(world, time_limit={"working_days": 5})
    (move,), _refused = versions.move(world.admin, second, [str(before.pk)], versions.RECOMPUTE)
    assert Dossier.objects.get(pk=before.pk).due_at != before.due_at
    versions.revert(world.admin, move.pk)
    after = Dossier.objects.get(pk=before.pk)
    assert (after.version_id, after.due_at, after.time_limit) == (before.version_id, before.due_at, before.time_limit)
    assert open_tasks(after)[0].dossier_due_at == before.due_at
    assert AuditRecord.objects.filter(action="dossier.version_move_reverted", object_id=str(before.pk)).exists()
    with pytest.raises(Conflict):
        versions.revert(world.admin, move.pk)
    # and it still goes on under version 1
    assert act(world.case_officer, after, "forward").process.step_index == 1


def test_dossiers_that_cannot_be_mapped_are_listed_with_the_reason_and_left_alone(world):
    renamed = [STEPS[0], step("sign", Role.APPROVER, ["approve", "reject"])]
    form = [*DefinitionFactory().get("form"),
            {"key": "purpose", "type": "text", "label": {"vi": "Mục đích", "en": "Purpose"}, "required": True}]  # fmt: skip
    definition = DefinitionFactory(code=world.code, steps=renamed, form=form)
    second = publish_version(import_definition(definition).version,
                             effective_from=timezone.now() - datetime.timedelta(seconds=1))  # fmt: skip
    landings = {x.dossier.pk: x for x in versions.plan(second)}
    at_approval = landings[world.at_approval.pk]
    assert not at_approval.movable
    assert any("Step approve" in r and "does not exist in version 2" in r for r in at_approval.reasons)
    assert any("Purpose" in r for r in landings[world.at_appraisal.pk].reasons)
    moved, refused = versions.move(world.admin, second, [str(world.at_approval.pk)])
    assert moved == [] and "does not exist" in " ".join(refused[str(world.at_approval.pk)])
    assert Dossier.objects.get(pk=world.at_approval.pk).version_id == world.version.pk


def test_only_a_procedure_administrator_moves_and_only_to_a_published_version(world):
    second = new_version(world, time_limit={"working_days": 4})
    with pytest.raises(NotAllowed):
        versions.move(world.manager, second, [str(world.at_intake.pk)])
    draft = import_definition(DefinitionFactory(code=world.code, steps=STEPS, time_limit={"working_days": 9})).version
    with pytest.raises(Conflict):
        versions.plan(draft)


def test_the_administrator_reviews_and_applies_the_plan_in_the_admin(world, client):
    second = new_version(world, time_limit={"working_days": 5})
    client.force_login(world.admin)
    url = reverse("admin:dossiers-version-plan", args=[second.pk])
    page = client.get(url + "?clock=recompute", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "3 dossiers can move" in page and world.at_approval.code in page
    response = client.post(url, {"clock": "recompute", "dossier": [str(world.at_approval.pk)]},
                           HTTP_ACCEPT_LANGUAGE="en")  # fmt: skip
    assert response.status_code == 302
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 dossiers can move" in page and "Put back" in page
    move = VersionMove.objects.get()
    client.post(reverse("admin:dossiers-version-revert", args=[move.pk]))
    assert VersionMove.objects.get().reverted_at is not None
    assert Dossier.objects.get(pk=world.at_approval.pk).version_id == world.version.pk
    # an officer does not reach the page
    client.force_login(world.case_officer)
    assert client.get(url).status_code in (302, 403)
