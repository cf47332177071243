"""Moving open dossiers to a newer version of their procedure.

A dossier is handled under the version in force when it was received (submission pins
it). When a decree changes a procedure mid-year, the administrator may move the dossiers
still open to the new version, as an explicit plan reviewed first:

- :func:`plan` says, for every open dossier of an older version, where it would land
  (the same step, found by its key), what happens to its clock, and why a dossier cannot
  be moved (its step is gone or changed hands, its answers or papers do not meet the new
  version, another agency decides). Nothing is written.
- :func:`move` applies the plan to the chosen dossiers, each in its own transaction, after
  planning it again under the dossier's lock (the dossier may have moved on since).
- :func:`revert` puts a move back, until the next hand-over of the dossier.

What a move never changes: the fee (charged under the rules at receipt, whatever the new
version says; the plan mentions a difference), the papers and answers on file, the tasks'
owners and queues (a step that changed role or place cannot be moved).
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from egov.accounts.selectors import is_procedure_admin
from egov.audit import services as audit
from egov.catalog.models import ProcedureVersion
from egov.common.errors import Conflict, InvalidInput, NotAllowed
from workflows.models import OPEN_TASK_STATUSES, DossierProcess, DossierTask

from ..models import Dossier, VersionMove
from ..selectors import dossier_for_update
from .applying import condition_context, form_problems, missing_documents
from .clock import calendar_of

KEEP, RECOMPUTE = "keep", "recompute"  # what happens to the legal due date


@dataclass
class Landing:
    """Where one dossier would land in the new version, or why it cannot be moved."""

    dossier: Dossier
    step_index: int = 0
    step_name: str = ""
    tasks: dict = field(default_factory=dict)  # open task id -> its step index in the new version
    time_limit: dict = field(default_factory=dict)
    due_at: object = None  # the legal due date after the move
    notes: list = field(default_factory=list)
    reasons: list = field(default_factory=list)  # why it cannot be moved; empty: it can

    @property
    def movable(self):
        return not self.reasons


def open_dossiers_before(target):
    """The open dossiers of ``target``'s procedure under an earlier version."""
    return (
        Dossier.objects.filter(procedure_id=target.procedure_id, status__in=Dossier.OPEN_STATUSES)
        .exclude(version=target)
        .filter(version__number__lt=target.number)
        .select_related("version", "applicant", "receiving_agency", "deciding_agency", "process")
        .order_by("submitted_at")
    )


def plan(target, clock=KEEP, dossiers=None):
    """The landing of each open dossier of an older version in ``target``; writes nothing."""
    _check_target(target)
    _check_clock(clock)
    return [landing_of(d, target, clock) for d in (open_dossiers_before(target) if dossiers is None else dossiers)]


def landing_of(dossier, target, clock=KEEP):
    old, new = dossier.spec, target.spec
    landing = Landing(dossier)
    process = dossier.process
    # The position: the step being handled or next, found in the new version by its key.
    if process.step_index >= len(old.steps):
        landing.step_index = len(new.steps)  # every step done: the fee or the return
        landing.step_name = _("after the last step")
    elif dossier.accepted_at is None:
        landing.step_index = 0  # still at intake: the new version's steps from the start
        landing.step_name = new.steps[0].name() if new.steps else ""
    else:
        here = old.steps[process.step_index]
        there = new.step(here.key)
        problem = _step_problem(here, there, target)
        if problem:
            landing.reasons.append(problem)
        else:
            landing.step_index, landing.step_name = there.index, there.name()
            skipped = [s.name() for s in new.steps[: there.index] if old.step(s.key) is None]
            if skipped:
                landing.notes.append(_("New steps before it are not done for this dossier: %(steps)s.")
                                     % {"steps": ", ".join(skipped)})  # fmt: skip
    for task in DossierTask.objects.filter(dossier=dossier, status__in=OPEN_TASK_STATUSES, step_index__gte=0):
        there = new.step(task.step_key)
        if there is None:
            landing.reasons.append(_("An open task is at step “%(step)s”, which version %(n)d does not have.")
                                   % {"step": task.step_key, "n": target.number})  # fmt: skip
        else:
            landing.tasks[str(task.pk)] = there.index
    _check_answers(dossier, target, landing)
    deciding = new.deciding_code(dossier.data)
    if dossier.deciding_agency_id and deciding != dossier.deciding_agency.code:
        landing.reasons.append(_("Another agency decides this procedure in version %(n)d.") % {"n": target.number})
    context = condition_context(dossier)
    _check_fee(dossier, target, context, landing)
    _clock(dossier, target, clock, context, landing)
    return landing


def _step_problem(here, there, target):
    if there is None:
        return _("Step “%(step)s” does not exist in version %(n)d.") % {"step": here.name(), "n": target.number}
    if here.is_consultation != there.is_consultation:
        return _("Step “%(step)s” is a consultation in one version and not in the other.") % {"step": here.name()}
    partners = ({c["agency"] for c in here.consultations}, {c["agency"] for c in there.consultations})
    if partners[0] != partners[1]:
        return _("Step “%(step)s” consults other agencies in version %(n)d.") % {
            "step": here.name(), "n": target.number}  # fmt: skip
    if (here.role, here.at) != (there.role, there.at):
        return _("Step “%(step)s” is handled by another role or agency in version %(n)d.") % {
            "step": here.name(), "n": target.number}  # fmt: skip
    return None


def _check_answers(dossier, target, landing):
    """The answers and papers on file must meet the new version's form (read under it)."""
    problems = form_problems(dossier, target.spec)
    missing = missing_documents(dossier, target.spec)
    if problems:
        fields = [target.spec.field(key.removeprefix("data.")) for key in problems]
        labels = [f.label() if f else key for f, key in zip(fields, problems, strict=True)]
        landing.reasons.append(_("The answers do not meet version %(n)d's form: %(fields)s.") % {
            "n": target.number, "fields": ", ".join(labels)})  # fmt: skip
    if missing:
        landing.reasons.append(_("Papers version %(n)d asks for are not on file: %(papers)s.") % {
            "n": target.number, "papers": ", ".join(target.spec.document(key).name() for key in missing)})  # fmt: skip


def _check_fee(dossier, target, context, landing):
    new_fee = target.spec.fee_total(context)
    if new_fee != dossier.fee_amount:
        landing.notes.append(_("The fee stays %(old)s đồng, charged under the rules at receipt (version %(n)d "
                               "would charge %(new)s).") % {
            "old": f"{dossier.fee_amount:,}", "new": f"{new_fee:,}", "n": target.number})  # fmt: skip


def _clock(dossier, target, clock, context, landing):
    landing.time_limit = target.spec.time_limit_for(context)
    landing.due_at = dossier.due_at
    if landing.time_limit == dossier.time_limit or dossier.accepted_at is None:
        return  # at intake the clock has not started: it starts under the new limit
    if clock == KEEP:
        landing.notes.append(_("The time limit differs in version %(n)d; the due date is kept.") % {"n": target.number})
        return
    calendar = calendar_of(dossier)
    due = calendar.due(dossier.accepted_at, landing.time_limit)
    for pause in dossier.clock_pauses.filter(ended_at__isnull=False).order_by("started_at"):
        due = calendar.shift_for_pause(due, pause.started_at, pause.ended_at)
    landing.due_at = due


def move(user, target, dossier_ids, clock=KEEP):
    """Move each of ``dossier_ids`` to ``target``, each in its own transaction; returns
    ``(moved, refused)``: the moves made, and ``{dossier: reasons}`` for those left alone."""
    _check_admin(user)
    _check_target(target)
    _check_clock(clock)
    moved, refused = [], {}
    for pk in dossier_ids:
        try:
            moved.append(_move_one(user, target, pk, clock))
        except (Conflict, InvalidInput) as exc:
            refused[pk] = exc.errors.get("dossier") or [exc.message]
    return moved, refused


@transaction.atomic
def _move_one(user, target, pk, clock):
    dossier = dossier_for_update(pk)
    process = DossierProcess.objects.select_for_update().get(dossier=dossier)
    tasks = {str(t.pk): t for t in DossierTask.objects.select_for_update().filter(
        dossier=dossier, status__in=OPEN_TASK_STATUSES, step_index__gte=0)}  # fmt: skip
    if not dossier.is_open or dossier.version.procedure_id != target.procedure_id:
        raise Conflict(_("This dossier is not open under this procedure."), code="not_movable")
    if dossier.version.number >= target.number:
        raise Conflict(_("This dossier is already under this version or a newer one."), code="not_movable")
    landing = landing_of(dossier, target, clock)
    if not landing.movable:
        raise Conflict(landing.reasons[0], code="not_movable", errors={"dossier": landing.reasons})
    before = _standing(dossier, process, tasks)
    dossier.version, dossier.time_limit, dossier.due_at = target, landing.time_limit, landing.due_at
    dossier.save(update_fields=["version", "time_limit", "due_at", "updated_at"])
    process.step_index = landing.step_index
    process.save(update_fields=["step_index"])
    for task_id, index in landing.tasks.items():
        tasks[task_id].step_index = index
        tasks[task_id].dossier_due_at = dossier.due_at
    DossierTask.objects.bulk_update(tasks.values(), ["step_index", "dossier_due_at"])
    record = VersionMove.objects.create(
        dossier=dossier, from_version_id=before["version"], to_version=target, before=before,
        after=_standing(dossier, process, tasks), moved_by=user, moved_at=timezone.now(),
    )  # fmt: skip
    audit.record(user, "dossier.version_moved", dossier, before=before, after=record.after)
    return record


@transaction.atomic
def revert(user, move_id):
    """Put a move back: the old version, position and due date. Only until the dossier's next
    hand-over (after it, the dossier has been handled under the new version)."""
    _check_admin(user)
    # the dossier's lock first (the order every writer takes), then the move's row
    dossier = dossier_for_update(VersionMove.objects.values_list("dossier_id", flat=True).get(pk=move_id))
    record = VersionMove.objects.select_for_update().get(pk=move_id)
    process = DossierProcess.objects.select_for_update().get(dossier=dossier)
    if record.reverted_at is not None:
        raise Conflict(_("This move was already put back."), code="already_reverted")
    if dossier.handovers.filter(handed_at__gt=record.moved_at).exists() or dossier.version_id != record.to_version_id:
        raise Conflict(_("The dossier was handled after the move; it can no longer be put back."),
                       code="handled_since")  # fmt: skip
    before = record.before
    dossier.version_id = before["version"]
    dossier.time_limit = before["time_limit"]
    dossier.due_at = parse_datetime(before["due_at"]) if before["due_at"] else None
    dossier.save(update_fields=["version", "time_limit", "due_at", "updated_at"])
    process.step_index = before["step_index"]
    process.save(update_fields=["step_index"])
    tasks = list(DossierTask.objects.select_for_update().filter(pk__in=before["tasks"], status__in=OPEN_TASK_STATUSES))
    for task in tasks:
        task.step_index = before["tasks"][str(task.pk)]
        task.dossier_due_at = dossier.due_at
    DossierTask.objects.bulk_update(tasks, ["step_index", "dossier_due_at"])
    record.reverted_by, record.reverted_at = user, timezone.now()
    record.save(update_fields=["reverted_by", "reverted_at"])
    audit.record(user, "dossier.version_move_reverted", dossier, before=record.after, after=before)
    return record


def _standing(dossier, process, tasks):
    return {
        "version": dossier.version_id, "number": dossier.version.number, "step_index": process.step_index,
        "time_limit": dossier.time_limit, "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
        "tasks": {pk: t.step_index for pk, t in tasks.items()},
    }  # fmt: skip


def _check_admin(user):
    if not is_procedure_admin(user):
        raise NotAllowed(_("Only a procedure administrator moves dossiers between versions."))


def _check_target(target):
    if target.status != ProcedureVersion.Status.PUBLISHED:
        raise Conflict(_("Dossiers move only to a published version."), code="not_published")


def _check_clock(clock):
    if clock not in (KEEP, RECOMPUTE):
        raise InvalidInput(errors={"clock": [_("Choose keep or recompute.")]})
