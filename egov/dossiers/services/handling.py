"""Officers' work on tasks: claim, release, reassign, complete with an outcome.

Viewflow's transitions do not check who acts; these functions do, under row locks on the
dossier, its process and the task (``selectors.task_for_update``), so two officers
completing one task at once get one success and one conflict.
"""

from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import User
from egov.catalog import eform
from egov.common import memo, prepared
from egov.common.errors import Conflict, InvalidInput, NotAllowed, NotFound
from egov.integrations import events
from workflows.models import OPEN_TASK_STATUSES, DossierTask

from ..models import Dossier, Payment, SupplementRequest
from ..selectors import manages, may_work_on, open_task_rows, task_for_update
from . import clock
from .common import log, record_handover, status_from_tasks

INTAKE_OUTCOMES = ("accept", "supplement", "refuse", "redirect")
FIXED_OUTCOMES = {
    DossierTask.Kind.INTAKE: INTAKE_OUTCOMES,
    DossierTask.Kind.CONSULT: ("answer",),
    DossierTask.Kind.PAYMENT: ("paid",),
    DossierTask.Kind.RETURN: ("returned",),
}
RETURN_METHODS = ("desk", "post", "electronic")
# Outcomes whose reasons must be written down (refusals and requests go to the applicant).
NEEDS_NOTE = {"supplement", "refuse", "redirect", "propose_refusal", "reject", "answer"}
# What a hand-over changes on the dossier: where it stands, never what the applicant filed.
# Saving only these also keeps a concurrent change of other fields (an apology's new date).
STANDING_FIELDS = [
    "status", "accepted_at", "due_at", "issued_at", "completed_at", "timeliness", "decision_note",
    "payment_status", "returned_how", "updated_at",
]  # fmt: skip


def allowed_outcomes(task):
    if task.kind == DossierTask.Kind.STEP:
        return task.dossier.spec.steps[task.step_index].outcomes
    return FIXED_OUTCOMES.get(task.kind, ())


@contextmanager
def _locked(user, task_id):
    """The task with its process and dossier, locked and loaded in one statement.

    What the user may not see is not found; a task no longer open is a conflict. The locks
    (dossier, process, task rows) serialise two officers completing one task: the second
    waits, then reads the task as the first left it, done.
    """
    with transaction.atomic(), memo.one_look():
        task = task_for_update(user, task_id)
        if task.status not in OPEN_TASK_STATUSES:
            raise Conflict(_("This task has already been completed or cancelled."))
        # One dossier object for the whole change: the flow's placements and routes read it too.
        task.process.dossier = task.dossier
        yield task


def claim(user, task_id):
    with _locked(user, task_id) as task:
        if not may_work_on(user, task):
            raise NotAllowed(_("You do not hold this task's role at its agency."))
        if task.owner_id:
            raise Conflict(_("Someone else has already taken this task."))
        task.flow_task.activation_class(task).assign(user)
        task.assigned = timezone.now()
        task.save(update_fields=["owner", "status", "assigned"])
        log(user, "task.claim", task.dossier, task=task.pk, step=task.step_key)
        return task


def release(user, task_id):
    with _locked(user, task_id) as task:
        if task.owner_id != user.pk and not manages(user, task.agency_id):
            raise NotAllowed(_("Only the officer holding the task or the centre manager can release it."))
        if not task.owner_id:
            raise Conflict(_("This task is not assigned to anyone."))
        task.flow_task.activation_class(task).unassign()
        task.assigned = None
        task.save(update_fields=["owner", "status", "assigned"])
        log(user, "task.release", task.dossier, task=task.pk, step=task.step_key)
        return task


def reassign(user, task_id, to_user):
    """A centre manager gives a task to an officer who holds its role at its agency."""
    with _locked(user, task_id) as task:
        if not manages(user, task.agency_id):
            raise NotAllowed(_("Only the centre manager of this agency reassigns tasks."))
        if not isinstance(to_user, User):
            to_user = User.objects.filter(username=to_user, is_active=True).first()
        if to_user is None or not may_work_on(to_user, task):
            raise InvalidInput(errors={"user": [_("This officer does not hold the task's role at its agency.")]})
        activation = task.flow_task.activation_class(task)
        if task.owner_id:
            activation.reassign(to_user)
        else:
            activation.assign(to_user)
        task.assigned = timezone.now()
        task.save(update_fields=["owner", "status", "assigned"])
        log(user, "task.reassign", task.dossier, task=task.pk, step=task.step_key, to=to_user.username)
        return task


def complete_task(user, task_id, outcome, data=None, note=""):
    """Record the officer's decision on a task and move the dossier on."""
    data = data or {}
    note = (note or "").strip()
    with events.one_dispatch(), _locked(user, task_id) as task:
        if not may_work_on(user, task):
            raise NotAllowed(_("You do not hold this task's role at its agency."))
        if task.owner_id and task.owner_id != user.pk:
            raise NotAllowed(_("This task is assigned to another officer."))
        if outcome not in allowed_outcomes(task):
            raise InvalidInput(errors={"outcome": [_("Choose one of: %(outcomes)s.")
                                                   % {"outcomes": ", ".join(allowed_outcomes(task))}]})  # fmt: skip
        if outcome in NEEDS_NOTE and not note:
            raise InvalidInput(errors={"note": [_("Write the reasons; the applicant will read them.")]})
        if outcome == "paid" and user.kind != User.Kind.STAFF:
            raise NotAllowed()
        _apply(task, user, outcome, data, note)
        return task


def confirm_payment(user, dossier, reference=""):
    """The counter provider: the intake officer confirms the fee was paid at the desk."""
    task = DossierTask.objects.filter(
        dossier=dossier, kind=DossierTask.Kind.PAYMENT, status__in=OPEN_TASK_STATUSES
    ).first()
    if task is None:
        raise InvalidInput(_("No payment is awaited for this dossier."), code="no_payment_due")
    return complete_task(user, task.pk, "paid", {"reference": reference}, "")


def _apply(task, user, outcome, data, note):
    dossier = task.dossier
    process = task.process
    now = timezone.now()
    was_issued = dossier.issued_at is not None
    handler = {
        DossierTask.Kind.INTAKE: _intake,
        DossierTask.Kind.STEP: _step,
        DossierTask.Kind.CONSULT: _consult,
        DossierTask.Kind.PAYMENT: _payment,
        DossierTask.Kind.RETURN: _return,
    }[task.kind]
    position = process.step_index
    event_type, step_data = handler(task, dossier, process, user, outcome, data, note, now)
    if process.step_index != position:  # intake, a consultation, a return stay where they are
        prepared.update(process, ["step_index"])

    task.outcome = outcome
    task.note = note
    task.completed_by = user
    task.data = {**task.data, **step_data}
    process.opened_tasks = []  # the nodes list the tasks they open here (workflows/nodes.py)
    task.flow_task.activation_class(task).finish(user)

    # On one line of work what stays open is exactly what this hand-over opened; in a parallel
    # branch (consultations) other branches may be open too.
    following = open_task_rows(dossier) if task.token.is_split_token() else process.opened_tasks
    if dossier.status not in Dossier.FINAL_STATUSES:
        dossier.status = status_from_tasks(dossier, following, supplement_open=outcome == "supplement")
    if dossier.status == Dossier.Status.READY_FOR_RETURN and dossier.issued_at is None:
        dossier.issued_at = now
    # The hand-over's closing writes, on rows locked above, none read back: on PostgreSQL
    # they leave in one round trip (prepared.together; no ORM save() inside, see there).
    with prepared.together():
        prepared.update(dossier, STANDING_FIELDS)
        record_handover(dossier, task, user, outcome, note, now, following)
        log(user, f"task.{outcome}", dossier, event_type, note=note, step=task.step_key, outcome=outcome)
        if not was_issued and dossier.issued_at and event_type != events.ISSUED:
            # Issued automatically after the last step (no clerk step in the definition).
            log(None, "dossier.issue", dossier, events.ISSUED)
        if dossier.status == Dossier.Status.READY_FOR_RETURN:
            log(None, "dossier.ready_for_return", dossier, events.READY_FOR_RETURN)
        elif dossier.status == Dossier.Status.AWAITING_PAYMENT:
            log(None, "dossier.payment_requested", dossier, events.PAYMENT_REQUESTED, amount=dossier.fee_amount)


def _supplement_request(task, dossier, user, data, note, now, stage):
    documents = [key for key in data.get("documents", []) if dossier.spec.document(key)]
    fields = [key for key in data.get("fields", []) if dossier.spec.field(key)]
    unknown = set(data.get("documents", [])) - set(documents) | set(data.get("fields", [])) - set(fields)
    if unknown:
        raise InvalidInput(errors={"data": [_("Unknown documents or fields: %(keys)s.")
                                            % {"keys": ", ".join(sorted(map(str, unknown)))}]})  # fmt: skip
    if not documents and not fields:
        raise InvalidInput(errors={"data": [_("List the documents to supply or the fields to correct.")]})
    return SupplementRequest.objects.create(
        dossier=dossier, stage=stage, step_key=task.step_key, documents=documents, fields=fields,
        reason=note, requested_by=user, requested_at=now,
    )  # fmt: skip


def _intake(task, dossier, process, user, outcome, data, note, now):
    if outcome == "accept":
        clock.start(dossier, now)
        return events.DOSSIER_ACCEPTED, {}
    if outcome == "supplement":
        _supplement_request(task, dossier, user, data, note, now, SupplementRequest.Stage.INTAKE)
        return events.SUPPLEMENT_REQUESTED, {}
    dossier.status = Dossier.Status.REFUSED if outcome == "refuse" else Dossier.Status.REDIRECTED
    dossier.decision_note = note
    dossier.completed_at = now
    _cancel_payment(dossier)
    return (events.DOSSIER_REFUSED if outcome == "refuse" else events.DOSSIER_REDIRECTED), {}


def _step(task, dossier, process, user, outcome, data, note, now):
    spec = dossier.spec
    step = spec.steps[task.step_index]
    step_values = {k: v for k, v in data.items() if k not in ("documents", "fields")}
    cleaned = {}
    if step.form or step_values:
        cleaned, errors = eform.clean(spec, step_values, fields=step.form)
        if errors:
            raise InvalidInput(errors={f"data.{key}": messages for key, messages in errors.items()})
    event_type = events.STEP_COMPLETED
    if outcome in ("forward", "approve", "propose_refusal"):
        process.step_index = step.index + 1
        if outcome == "approve":
            event_type = events.APPROVED
    elif outcome == "send_back":
        target = spec.step(step.send_back_to) if step.send_back_to else None
        index = target.index if target else step.index - 1
        if index < 0:
            raise InvalidInput(errors={"outcome": [_("There is no earlier step to send the dossier back to.")]})
        process.step_index = index
    elif outcome == "supplement":
        request = _supplement_request(task, dossier, user, data, note, now, SupplementRequest.Stage.HANDLING)
        clock.pause(dossier, request, now)
        return events.SUPPLEMENT_REQUESTED, cleaned
    elif outcome == "reject":
        dossier.status = Dossier.Status.REJECTED
        dossier.decision_note = note
        dossier.completed_at = now
        dossier.timeliness = clock.judge(dossier, now)
        _cancel_payment(dossier)
        return events.REJECTED, cleaned
    elif outcome == "issue":
        process.step_index = len(spec.steps)
    if process.step_index >= len(spec.steps) and dossier.issued_at is None:
        # Issued by the clerk, or automatically after the last step.
        dossier.issued_at = now
        dossier.timeliness = clock.judge(dossier, now)
        if outcome == "issue":
            event_type = events.ISSUED
    return event_type, cleaned


def _consult(task, dossier, process, user, outcome, data, note, now):
    others = DossierTask.objects.filter(
        process=process, kind=DossierTask.Kind.CONSULT, status__in=OPEN_TASK_STATUSES
    ).exclude(pk=task.pk)
    if not others.exists():
        process.step_index = task.step_index + 1
        if process.step_index >= len(dossier.spec.steps) and dossier.issued_at is None:
            dossier.issued_at = now
            dossier.timeliness = clock.judge(dossier, now)
    return events.CONSULTATION_ANSWERED, {"agency": task.agency.code}


def _payment(task, dossier, process, user, outcome, data, note, now):
    dossier.payment_status = Dossier.Payment.PAID
    payment = dossier.payments.filter(status=Payment.Status.PENDING).first()
    if payment is None:
        raise NotFound(_("No pending payment."))
    payment.status = Payment.Status.PAID
    payment.paid_at = now
    payment.confirmed_by = user
    payment.reference = str(data.get("reference", ""))[:100]
    payment.save()
    return events.PAID, {"reference": payment.reference}


def _return(task, dossier, process, user, outcome, data, note, now):
    how = data.get("how", "desk")
    if how not in RETURN_METHODS:
        message = _("Choose one of: %(methods)s.") % {"methods": ", ".join(RETURN_METHODS)}
        raise InvalidInput(errors={"data.how": [message]})
    dossier.status = Dossier.Status.RETURNED
    dossier.returned_how = how
    dossier.completed_at = now
    if not dossier.timeliness:
        dossier.timeliness = clock.judge(dossier, dossier.issued_at or now)
    return events.RETURNED, {"how": how}


def _cancel_payment(dossier):
    dossier.payments.filter(status=Payment.Status.PENDING).update(status=Payment.Status.CANCELLED)
    if dossier.payment_status == Dossier.Payment.PENDING:
        dossier.payment_status = Dossier.Payment.NOT_REQUIRED
