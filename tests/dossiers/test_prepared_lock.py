"""The hand-over's lock-and-load statement is compiled once (egov/common/prepared.py): it must
load exactly what the queryset would, apply the same rule of who may act, and fall back to
the ORM when the compiled parameters are not where the caller says."""

import datetime
import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from egov.agencies.models import Agency
from egov.common.errors import NotFound
from egov.common.prepared import PreparedSelect
from egov.dossiers import selectors, services
from tests.dossiers.helpers import draft_with_papers
from workflows.models import DossierTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def intake_task(demo):
    citizen = demo["congdan"]
    dossier = services.submit(citizen, draft_with_papers(citizen))
    return dossier.tasks.get(flow_task_type="HUMAN", status="NEW")


def _values(instance, skip=()):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields if f.attname not in skip}


def test_the_locked_task_is_loaded_as_the_queryset_loads_it(demo, intake_task):
    with transaction.atomic():
        task = selectors.task_for_update(demo["tiepnhan.dongha"], intake_task.pk)
    reference = DossierTask.objects.select_related("process", "dossier").defer("dossier__data").get(pk=intake_task.pk)
    assert _values(task) == _values(reference)
    assert _values(task.process) == _values(reference.process)
    assert _values(task.dossier, skip={"data"}) == _values(reference.dossier, skip={"data"})
    # Converted as the ORM converts (on SQLite datetimes come back as text, JSON as a string).
    assert isinstance(task.created, datetime.datetime) and task.created.tzinfo is not None
    assert isinstance(task.data, dict)
    # The process and dossier came with the row (no query) and the applicant's data did not.
    assert DossierTask._meta.get_field("process").is_cached(task)
    assert DossierTask._meta.get_field("dossier").is_cached(task)
    assert "data" in task.dossier.get_deferred_fields()


def test_the_rule_of_who_may_act_holds_for_every_pattern_of_roles(demo, intake_task):
    from egov.accounts.models import RoleAssignment

    # A manager here who is also an intake officer elsewhere: a condition of both kinds.
    mixed = demo["quanly.dongha"]
    RoleAssignment.objects.create(user=mixed, role="intake_officer", agency=Agency.objects.get(code="000.17.24.H56"))
    mixed._egov_role_pairs = None
    may = [demo["tiepnhan.dongha"], mixed]  # the role at the agency; its manager
    may_not = [demo["tiepnhan.tt"], demo["quanly.tt"], demo["congchuc.dongha"], demo["congdan"]]
    with transaction.atomic():
        for user in may:
            assert selectors.task_for_update(user, intake_task.pk).pk == intake_task.pk, user.username
        for user in may_not:
            with pytest.raises(NotFound):
                selectors.task_for_update(user, intake_task.pk)
        for user in (AnonymousUser(), None):  # never "the tasks without an owner"
            with pytest.raises(NotFound):
                selectors.task_for_update(user, intake_task.pk)
            with pytest.raises(NotFound):
                selectors.get_task(user, intake_task.pk)
        for bad in ("abc", None, -5, 10**12, 10**30, "7" * 40):
            with pytest.raises(NotFound):
                selectors.task_for_update(demo["tiepnhan.dongha"], bad)
    # The holder of a task finds it wherever they stand now.
    officer = demo["tiepnhan.dongha"]
    services.claim(officer, intake_task.pk)
    officer.role_assignments.update(active=False)
    officer._egov_role_pairs = None
    with transaction.atomic():
        assert selectors.task_for_update(officer, intake_task.pk).pk == intake_task.pk


def test_parameters_out_of_place_fall_back_to_compiling_each_time(demo):
    def build(args):
        code, level = args
        return Agency.objects.filter(code=code).filter(level=level)

    wrong = PreparedSelect(
        build=build,
        params=lambda args: [args[1], args[0]],
        shape=lambda args: (),
        probe=lambda shape: ("probe", "probe-level"),
    )
    right = PreparedSelect(
        build=build,
        params=lambda args: [args[0], args[1]],
        shape=lambda args: (),
        probe=lambda shape: ("probe", "probe-level"),
    )
    agency = Agency.objects.get(code="000.17.22.H56")
    for select in (wrong, right):
        assert select((agency.code, agency.level)) == [agency]
        assert select((agency.code, "no-such-level")) == []
    assert wrong._local.statements[("default", ())][1] is None  # never trusted
    assert right._local.statements[("default", ())][1] is not None


@pytest.mark.django_db(transaction=True)
def test_the_locks_are_refused_outside_a_transaction(demo, intake_task):
    with pytest.raises(TransactionManagementError):
        selectors.task_for_update(demo["tiepnhan.dongha"], intake_task.pk)
    with pytest.raises(TransactionManagementError):
        selectors.dossier_for_update(intake_task.dossier_id)


def test_the_dossier_lock_loads_what_the_orm_loads_with_one_compiled_statement(demo):
    from egov.dossiers.models import Dossier

    citizen = demo["congdan"]
    draft = draft_with_papers(citizen)
    with transaction.atomic():
        assert selectors._locked_dossier._compiled((), connection, "default") is not None  # no ORM fallback
        locked = selectors.dossier_for_update(draft.pk)
        locked_by_text = selectors.dossier_for_update(str(draft.pk))
    reference = Dossier.objects.get(pk=draft.pk)
    assert _values(locked) == _values(reference) == _values(locked_by_text)
    assert isinstance(locked.data, dict) and locked.data == reference.data
    with pytest.raises(Dossier.DoesNotExist), transaction.atomic():
        selectors.dossier_for_update(uuid.uuid4())
