"""Who sees which dossiers and tasks: the one place pages and the API ask.

A citizen sees their own dossiers. Staff see the dossiers received or decided at the
agencies where they hold a role, and those with a task at such an agency (a partner
agency consulted). An API client sees the dossiers it filed. An unknown dossier and
someone else's dossier look the same: not found.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q
from django.db.transaction import TransactionManagementError
from viewflow.workflow.status import STATUS

from egov.accounts.roles import Role
from egov.accounts.selectors import agencies_where, role_pairs
from egov.common.errors import NotFound
from egov.common.prepared import PreparedSelect
from egov.common.text_search import fold
from workflows.models import OPEN_TASK_STATUSES, DossierTask

from .models import Dossier


def visible_dossiers(user):
    qs = Dossier.objects.select_related("procedure", "version", "applicant", "receiving_agency", "deciding_agency")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_superuser:
        return qs
    if user.kind == "service":
        return qs.filter(_client_condition(user))
    agencies = {agency for _role, agency in role_pairs(user)}
    condition = Q(applicant=user) | Q(created_by=user)
    if agencies:
        condition |= (
            Q(receiving_agency__in=agencies)
            | Q(deciding_agency__in=agencies)
            | Q(pk__in=DossierTask.objects.filter(agency__in=agencies).values("dossier_id"))
        )
        # Staff never see other people's drafts: a draft is the applicant's until submitted.
        condition &= ~Q(status=Dossier.Status.DRAFT) | Q(applicant=user) | Q(created_by=user)
    return qs.filter(condition)


def _client_condition(user):
    """An API client sees what it filed, and with ``dossiers:read`` those of its procedures/agencies."""
    from egov.integrations.clients import ApiClient, Scope

    condition = Q(created_by=user)
    client = ApiClient.objects.filter(service_user=user).prefetch_related("agencies").first()
    if client is not None and client.has_scope(Scope.DOSSIERS_READ):
        readable = ~Q(status="draft")
        if client.procedures:
            readable &= Q(procedure__code__in=client.procedures)
        agency_ids = [agency.pk for agency in client.agencies.all()]
        if agency_ids:
            readable &= Q(receiving_agency__in=agency_ids) | Q(deciding_agency__in=agency_ids)
        condition |= readable
    return condition


def get_dossier(user, dossier_id):
    try:
        return visible_dossiers(user).get(pk=dossier_id)
    except (Dossier.DoesNotExist, ValueError, TypeError, ValidationError):  # a malformed UUID too
        raise NotFound()


def is_applicant_side(user, dossier):
    return dossier.applicant_id == user.pk or dossier.created_by_id == user.pk


def _task_qs():
    return DossierTask.objects.filter(flow_task_type="HUMAN").select_related(
        "dossier", "dossier__procedure", "dossier__applicant", "agency", "owner"
    )


def team_queue(user):
    """Open, unclaimed tasks for the roles the user holds, at the agencies where they hold them."""
    pairs = [(role, agency) for role, agency in role_pairs(user) if role not in (Role.CENTER_MANAGER,)]
    if not pairs:
        return DossierTask.objects.none()
    condition = Q()
    for role, agency in pairs:
        condition |= Q(role=role, agency_id=agency)
    return _task_qs().filter(condition, status=STATUS.NEW).order_by("created")


def my_tasks(user):
    return _task_qs().filter(owner=user, status__in=OPEN_TASK_STATUSES).order_by("created")


def unit_tasks(user):
    """For a centre manager: every open task at the agencies they manage."""
    agencies = agencies_where(user, Role.CENTER_MANAGER)
    if not agencies:
        return DossierTask.objects.none()
    return _task_qs().filter(agency__in=agencies, status__in=OPEN_TASK_STATUSES).order_by("created")


def may_work_on(user, task):
    return (task.role, task.agency_id) in role_pairs(user)


def manages(user, agency_id):
    return (Role.CENTER_MANAGER, agency_id) in role_pairs(user)


def _may_act_on(user):
    """Tasks the user works on (their role at the task's agency), manages (centre manager of
    the agency) or holds: the one rule for acting on a task."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])  # no one's tasks (an anonymous owner_id would read "unassigned")
    return _acting_condition(user.pk, _acting_pairs(user))


def _acting_pairs(user):
    """(role, agency) for each role the user holds, with role None where they manage the
    agency; sorted, so that one user's condition always compiles to the same SQL."""
    pairs = ((None if role == Role.CENTER_MANAGER else role, agency) for role, agency in role_pairs(user))
    return tuple(sorted(pairs, key=lambda pair: (pair[0] or "", pair[1])))


def _acting_condition(owner_id, pairs):
    condition = Q(owner_id=owner_id)
    for role, agency in pairs:
        condition |= Q(agency_id=agency) if role is None else Q(role=role, agency_id=agency)
    return condition


def get_task(user, task_id):
    """A task the user may work on or manage, with what pages and the API show; anything
    else is not found."""
    try:
        return _task_qs().select_related("process").filter(_may_act_on(user)).get(pk=task_id)
    except (DossierTask.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None


def search_tasks(tasks, text):
    """Tasks whose dossier code or applicant name holds every word of ``text``, with or
    without Vietnamese diacritics ("nguyen van" finds "Nguyễn Văn An")."""
    for word in fold(text or "").split()[:8]:
        tasks = tasks.filter(search_text__contains=word)
    return tasks


def task_for_update(user, task_id):
    """A task the user may act on, locked for a change with its process and dossier (call
    inside a transaction); anything else is not found.

    One statement, compiled once (egov/common/prepared.py): the rule of :func:`get_task` is
    in the query and the process and dossier come joined; the pinned version and the
    agencies come from the process's memory (egov/common/memo.py).
    """
    if not connection.in_atomic_block:  # as Django's select_for_update() would refuse
        raise TransactionManagementError("task_for_update() locks rows: call it inside a transaction.")
    if not getattr(user, "is_authenticated", False) or not _is_task_id(task_id):
        raise NotFound()
    rows = _locked_task((user.pk, _acting_pairs(user), int(task_id)))
    if not rows:
        raise NotFound()
    task = rows[0]
    task.dossier.remember_agencies()
    return task


def _is_task_id(value):
    """A value the compiled lock can bind (the ORM would find nothing for the rest)."""
    pk = DossierTask._meta.pk
    try:
        value = pk.to_python(value)
    except ValidationError:
        return False
    low, high = connection.ops.integer_field_range(pk.get_internal_type())
    return value is not None and (low is None or low <= value) and (high is None or value <= high)


def _locked_task_rows(args):
    owner_id, pairs, task_id = args
    return (
        DossierTask.objects.filter(_acting_condition(owner_id, pairs), flow_task_type="HUMAN", pk=task_id)
        .select_related("process", "dossier")
        .defer("dossier__data")  # what the applicant filed: a hand-over never reads it
        .order_by()
        # Rows are locked in this order, the order every writer of a dossier follows (a
        # withdrawal, a supplement answered): dossier, process, task. No deadlock between them.
        .select_for_update(of=("dossier", "process", "self"))
    )


def _locked_task_params(args):
    owner_id, pairs, task_id = args
    # Q(role=…, agency_id=…) binds its keywords sorted by name: agency first.
    rule = [value for role, agency in pairs for value in ((agency,) if role is None else (agency, role))]
    return [owner_id, *rule, "HUMAN", task_id]


_locked_task = PreparedSelect(
    build=_locked_task_rows,
    params=_locked_task_params,
    # One SQL text per pattern of roles: which are managed agencies, which are roles.
    shape=lambda args: tuple(role is None for role, _agency in args[1]),
    probe=lambda shape: (
        -1,
        tuple((None if manages else f"probe-{i}", -2 - i) for i, manages in enumerate(shape)),
        -1000,
    ),
)


def dossier_for_update(pk):
    """The dossier, locked for a change (call inside a transaction). Every writer of a
    dossier takes this lock first, then its process, then a task. Compiled once: it runs on
    every upload, submission and answer."""
    if not connection.in_atomic_block:  # as Django's select_for_update() would refuse
        raise TransactionManagementError("dossier_for_update() locks a row: call it inside a transaction.")
    rows = _locked_dossier((Dossier._meta.pk.to_python(pk),))
    if not rows:
        raise Dossier.DoesNotExist("Dossier matching query does not exist.")
    return rows[0]


_locked_dossier = PreparedSelect(
    build=lambda args: Dossier.objects.filter(pk=args[0]).order_by().select_for_update(),
    # The key as the database binds it (a hex string where there is no native uuid).
    params=lambda args: [Dossier._meta.pk.get_db_prep_value(args[0], connection)],
    shape=lambda args: (),
    probe=lambda shape: (uuid.UUID(int=1),),
)


def open_task_rows(dossier):
    """The open human tasks of a dossier, only what the engine's bookkeeping reads."""
    return list(
        DossierTask.objects.filter(dossier=dossier, flow_task_type="HUMAN", status__in=OPEN_TASK_STATUSES)
        .only("pk", "kind", "role", "agency_id", "created")
        .order_by("created")
    )


def open_tasks(dossier):
    return list(
        DossierTask.objects.filter(dossier=dossier, flow_task_type="HUMAN", status__in=OPEN_TASK_STATUSES)
        .select_related("agency", "owner")
        .order_by("created")
    )


def control_slip(dossier):
    return dossier.handovers.select_related("agency", "giver", "receiver_agency").order_by("handed_at", "pk")


def open_supplement(dossier):
    return dossier.supplement_requests.filter(answered_at__isnull=True).order_by("-requested_at").first()


def current_attachments(dossier):
    return dossier.attachments.filter(replaced_at__isnull=True).order_by("document_key", "uploaded_at")
