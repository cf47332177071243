"""Who sees which dossiers and tasks: the one place pages and the API ask.

A citizen sees their own dossiers. Staff see the dossiers received or decided at the
agencies where they hold a role, and those with a task at such an agency (a partner
agency consulted). An API client sees the dossiers it filed and, with ``dossiers:read``,
those of its procedures and agencies (the rule its webhooks follow too). An unknown dossier
and someone else's dossier look the same: not found.
"""

import hmac

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from viewflow.workflow.status import STATUS

from egov.accounts import organizations
from egov.accounts.selectors import agencies_where, role_pairs
from egov.common.errors import NotFound
from egov.common.text_search import fold
from egov.common.vocabulary import Role
from egov.integrations.clients import dossiers_readable_by
from workflows.models import OPEN_TASK_STATUSES, DossierTask

from .models import LOOKUP_KEY_ALPHABET, Dossier


def visible_dossiers(user):
    qs = Dossier.objects.select_related(
        "procedure", "version", "applicant", "organization", "representative", "receiving_agency", "deciding_agency"
    )
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.is_superuser:
        return qs
    if user.kind == "service":
        # What it filed, and with dossiers:read those of its procedures/agencies: the rule its
        # webhooks follow too, kept in one place (ApiClient.dossier_condition).
        return qs.filter(dossiers_readable_by(user))
    agencies = {agency for _role, agency in role_pairs(user)}
    own = condition = applicant_side(user)
    if agencies:
        condition |= (
            Q(receiving_agency__in=agencies)
            | Q(deciding_agency__in=agencies)
            | Q(pk__in=DossierTask.objects.filter(agency__in=agencies).values("dossier_id"))
        )
        # Staff never see other people's drafts: a draft is the applicant's until submitted.
        condition &= ~Q(status=Dossier.Status.DRAFT) | own
    return qs.filter(condition)


def applicant_side(user):
    """The dossiers ``user`` is on the applicant's side of: theirs, those they filed or
    represent, and those of the organisations they may file for."""
    return (
        Q(applicant=user)
        | Q(created_by=user)
        | Q(representative=user)
        | Q(organization__in=organizations.filing_for(user).values("pk"))
    )


def mine(user):
    """The dossiers of "My dossiers": those ``user`` is on the applicant's side of."""
    return Dossier.objects.filter(applicant_side(user)).select_related(
        "version", "procedure", "applicant", "organization", "representative"
    )


def get_dossier(user, dossier_id):
    try:
        return visible_dossiers(user).get(pk=dossier_id)
    except (Dossier.DoesNotExist, ValueError, TypeError, ValidationError):  # a malformed UUID too
        raise NotFound()


def is_applicant_side(user, dossier):
    if user.pk in (dossier.applicant_id, dossier.created_by_id, dossier.representative_id):
        return True
    return dossier.organization_id is not None and organizations.may_file_for(user, dossier.organization_id)


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
    condition = Q(owner_id=user.pk)
    for role, agency in role_pairs(user):
        condition |= Q(agency_id=agency) if role == Role.CENTER_MANAGER else Q(role=role, agency_id=agency)
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

    One statement: the rule of :func:`get_task` is in the query; the process, the dossier
    and its agencies (whose office hours the clock reads) come joined. Rows are locked in
    the order every writer of a dossier follows (a withdrawal, a supplement answered):
    dossier, process, task; the agencies are read, not locked.
    """
    try:
        return (
            DossierTask.objects.filter(_may_act_on(user), flow_task_type="HUMAN", pk=task_id)
            .select_related("process", "dossier__receiving_agency", "dossier__deciding_agency")
            .select_for_update(of=("dossier", "process", "self"))
            .get()
        )
    except (DossierTask.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound() from None


def dossier_for_update(pk):
    """The dossier, locked for a change (call inside a transaction), with its agencies.
    Every writer of a dossier takes this lock first, then its process, then a task."""
    return (
        Dossier.objects.select_related("receiving_agency", "deciding_agency").select_for_update(of=("self",)).get(pk=pk)
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


def position(dossier, tasks=None):
    """Where the dossier stands, in the step keys of its version's path (the diagram's
    node keys): its open tasks' steps, or the step whose supplement the applicant owes."""
    keys = {t.step_key for t in (open_tasks(dossier) if tasks is None else tasks)}
    supplement = open_supplement(dossier) if dossier.status == dossier.Status.SUPPLEMENT_REQUESTED else None
    if supplement is not None:
        keys.add(f"supplement:{supplement.step_key}")
    return frozenset(keys)


def current_attachments(dossier):
    return dossier.attachments.filter(replaced_at__isnull=True).order_by("document_key", "uploaded_at")


def register_entry(dossier):
    """Where a dossier stands in its receiving unit's register (Mẫu 07): one volume a year,
    its entries numbered in the order the dossiers were received. ``(year, number)``."""
    local = timezone.localtime(dossier.submitted_at)
    new_year = local.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    number = Dossier.objects.filter(receiving_agency_id=dossier.receiving_agency_id, submitted_at__gte=new_year,
                                    submitted_at__lte=dossier.submitted_at).count()  # fmt: skip
    return local.year, number


def tracked(code, key):
    """The dossier a code and its lookup key (printed on the receipt) name, or None: what the
    public tracking page and API show. A wrong key and an unknown code look the same."""
    key = (key or "").strip().upper()
    if not code or not key or len(key) > 12 or set(key) - set(LOOKUP_KEY_ALPHABET):
        return None
    dossier = Dossier.objects.select_related("version").filter(code=str(code)[:60]).first()
    # Compared in constant time, as bytes (both are ASCII by now).
    if dossier is None or not hmac.compare_digest(dossier.lookup_key.encode(), key.encode()):
        return None
    return dossier
