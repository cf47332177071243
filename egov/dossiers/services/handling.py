"""Officers' work on tasks: claim, release, reassign, complete with an outcome.

Viewflow's transitions do not check who acts; these functions do, under row locks on the
dossier, its process and the task (``selectors.task_for_update``), so two officers
completing one task at once get one success and one conflict.

Completing a task, in order: check who acts and what they decided; do what the outcome
does (the clock, a supplement request, the fee); move the position (workflows/routing.py
says where the dossier goes); issue the result when the dossier is through its steps;
complete the task, which opens the next one; then the dossier's standing, the control-slip
row, the audit records and the events.
"""

from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import User
from egov.catalog import eform
from egov.common.errors import Conflict, InvalidInput, NotAllowed, NotFound
from egov.common.vocabulary import INTAKE_OUTCOMES, OUTCOMES_WITH_REASONS, Outcome
from egov.integrations import events
from workflows import routing
from workflows.models import OPEN_TASK_STATUSES, DossierTask
from workflows.routing import Move

from .. import status
from ..models import Dossier, Payment, SupplementRequest
from ..selectors import dossier_for_update, manages, may_work_on, open_task_rows, task_for_update
from . import clock
from .common import log, record_handover

FIXED_OUTCOMES = {
    DossierTask.Kind.INTAKE: INTAKE_OUTCOMES,
    DossierTask.Kind.CONSULT: (Outcome.ANSWER,),
    DossierTask.Kind.PAYMENT: (Outcome.PAID,),
    DossierTask.Kind.RETURN: (Outcome.RETURNED,),
}
RETURN_METHODS = ("desk", "post", "electronic")
# What a hand-over changes on the dossier: where it stands, never what the applicant filed.
# Saving only these also keeps a concurrent change of other fields (an apology's new date).
STANDING_FIELDS = [
    "status", "accepted_at", "due_at", "issued_at", "completed_at", "timeliness", "decision_note",
    "payment_status", "returned_how", "updated_at",
]  # fmt: skip
# The event each decision is announced by.
OUTCOME_EVENTS = {
    Outcome.ACCEPT: events.DOSSIER_ACCEPTED,
    Outcome.SUPPLEMENT: events.SUPPLEMENT_REQUESTED,
    Outcome.REFUSE: events.DOSSIER_REFUSED,
    Outcome.REDIRECT: events.DOSSIER_REDIRECTED,
    Outcome.FORWARD: events.STEP_COMPLETED,
    Outcome.PROPOSE_REFUSAL: events.STEP_COMPLETED,
    Outcome.SEND_BACK: events.STEP_COMPLETED,
    Outcome.APPROVE: events.APPROVED,
    Outcome.REJECT: events.REJECTED,
    Outcome.ISSUE: events.ISSUED,
    Outcome.ANSWER: events.CONSULTATION_ANSWERED,
    Outcome.PAID: events.PAID,
    Outcome.RETURNED: events.RETURNED,
}


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
    with transaction.atomic():
        task = task_for_update(user, task_id)
        if task.status not in OPEN_TASK_STATUSES:
            raise Conflict(_("This task has already been completed or cancelled."))
        # One dossier object for the whole change: the flow's placements and routing read it too.
        task.process.dossier = task.dossier
        yield task


def claim(user, task_id):
    with _locked(user, task_id) as task:
        if not may_work_on(user, task):
            raise NotAllowed(_("You do not hold this task's role at its agency."))
        if task.owner_id:
            raise Conflict(_("Someone else has already taken this task."))
        task.assigned = timezone.now()
        task.flow_task.activation_class(task).assign(user)  # saves the task
        log(user, "task.claim", task.dossier, task=task.pk, step=task.step_key)
        return task


def release(user, task_id):
    with _locked(user, task_id) as task:
        if task.owner_id != user.pk and not manages(user, task.agency_id):
            raise NotAllowed(_("Only the officer holding the task or the centre manager can release it."))
        if not task.owner_id:
            raise Conflict(_("This task is not assigned to anyone."))
        task.assigned = None
        task.flow_task.activation_class(task).unassign()  # saves the task
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
        task.assigned = timezone.now()
        if task.owner_id:
            activation.reassign(to_user)  # saves the task
        else:
            activation.assign(to_user)
        log(user, "task.reassign", task.dossier, task=task.pk, step=task.step_key, to=to_user.username)
        return task


def complete_task(user, task_id, outcome, data=None, note=""):
    """Record the officer's decision on a task and move the dossier on."""
    data = data or {}
    note = (note or "").strip()
    with _locked(user, task_id) as task:
        if not may_work_on(user, task):
            raise NotAllowed(_("You do not hold this task's role at its agency."))
        if task.owner_id and task.owner_id != user.pk:
            raise NotAllowed(_("This task is assigned to another officer."))
        if outcome not in allowed_outcomes(task):
            raise InvalidInput(errors={"outcome": [_("Choose one of: %(outcomes)s.")
                                                   % {"outcomes": ", ".join(allowed_outcomes(task))}]})  # fmt: skip
        if outcome in OUTCOMES_WITH_REASONS and not note:
            raise InvalidInput(errors={"note": [_("Write the reasons; the applicant will read them.")]})
        if outcome == Outcome.PAID and user.kind != User.Kind.STAFF:
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
    return complete_task(user, task.pk, Outcome.PAID, {"reference": reference}, "")


def settle_fee(dossier_id, provider, reference):
    """An online provider took the fee of a dossier: the payment is recorded as the provider's
    and the dossier moves on as after the counter's confirmation (the payment task done by
    nobody), or, paid before it was asked, the fee is simply paid. Returns the payment, or
    None when no fee was owed any more (the dossier closed, or the fee already paid): the
    caller gives the money back."""
    with transaction.atomic():
        dossier = dossier_for_update(dossier_id)
        payment = dossier.payments.filter(status=Payment.Status.PENDING).first()
        if payment is None or dossier.status in Dossier.FINAL_STATUSES:
            return None
        payment.provider = provider
        payment.save(update_fields=["provider"])
        task = (
            DossierTask.objects.filter(dossier=dossier, kind=DossierTask.Kind.PAYMENT, status__in=OPEN_TASK_STATUSES)
            .select_related("process")
            .select_for_update(of=("process", "self"))
            .first()
        )
        if task is not None:
            task.dossier = task.process.dossier = dossier
            _apply(task, None, Outcome.PAID, {"reference": reference}, "")
        else:
            _payment(None, dossier, None, Outcome.PAID, {"reference": reference}, "", timezone.now())
            dossier.save(update_fields=["payment_status", "updated_at"])
            log(None, "dossier.paid", dossier, events.PAID, provider=provider)
        payment.refresh_from_db()
        return payment


def _apply(task, user, outcome, data, note):
    dossier, process = task.dossier, task.process
    now = timezone.now()
    position = process.step_index
    # What the outcome does first (the clock, a request, the fee), then where it leads.
    task_data = _OUTCOME_EFFECTS[task.kind](task, dossier, user, outcome, data, note, now)
    route = routing.of(process)
    move = route.advance(task, outcome)
    issued_here = dossier.issued_at is None and _issues_result(task, process, move, route)
    if issued_here:
        dossier.issued_at = now
        dossier.timeliness = clock.judge(dossier, now)
    if move == Move.END:
        dossier.completed_at = now
        if outcome != Outcome.RETURNED:
            dossier.decision_note = note
            _cancel_payment(dossier)
    dossier.status = status.after(move, process, outcome)
    if process.step_index != position:
        process.save(update_fields=["step_index"])

    task.outcome = outcome
    task.note = note
    task.completed_by = user
    task.data = {**task.data, **task_data}
    activation = task.flow_task.activation_class(task)
    activation.finish(user)  # opens what comes next (route.node_after)

    dossier.save(update_fields=STANDING_FIELDS)
    record_handover(dossier, task, user, outcome, note, now, _following(activation, move))
    log(user, f"task.{outcome}", dossier, OUTCOME_EVENTS[outcome], note=note, step=task.step_key, outcome=outcome)
    if issued_here and outcome != Outcome.ISSUE:
        log(None, "dossier.issue", dossier, events.ISSUED)  # issued after the last step, without a clerk
    if move == Move.CONSULT:
        step = route.steps(process)[process.step_index]
        log(None, "dossier.consult", dossier, events.CONSULTATION_REQUESTED, step=step.key,
            agencies=[entry["agency"] for entry in step.consultations])  # fmt: skip
    elif move == Move.RETURN:
        log(None, "dossier.ready_for_return", dossier, events.READY_FOR_RETURN)
    elif move == Move.PAYMENT:
        log(None, "dossier.payment_requested", dossier, events.PAYMENT_REQUESTED, amount=dossier.fee_amount)


def _following(activation, move):
    """The tasks open after a hand-over: the one it opened, none when the dossier ended or
    waits for the applicant, else (consultations, the route after them) whatever is open."""
    if move in (Move.END, Move.SUPPLEMENT):
        return []
    opened = activation.next_activation.task
    if opened.flow_task_type == "HUMAN":
        return [opened]
    return open_task_rows(opened.dossier)


def _issues_result(task, process, move, route):
    """The result is issued once the dossier is through its last handling step (by the
    clerk's ``issue``, or automatically after the last step), or at the latest when it is
    ready to be returned."""
    if move == Move.RETURN:
        return True
    through_steps = task.kind in (DossierTask.Kind.STEP, DossierTask.Kind.CONSULT) and route.steps_done(process)
    return through_steps and move not in (Move.END, Move.SUPPLEMENT, Move.AWAIT_PARTNERS)


# --- what each kind of task does besides moving the dossier (returns what the task records) ---


def _intake(task, dossier, user, outcome, data, note, now):
    if outcome == Outcome.ACCEPT:
        clock.start(dossier, now)
    elif outcome == Outcome.SUPPLEMENT:
        _supplement_request(task, dossier, user, data, note, now, SupplementRequest.Stage.INTAKE)
    return {}


def _step(task, dossier, user, outcome, data, note, now):
    spec = dossier.spec
    step = spec.steps[task.step_index]
    step_values = {k: v for k, v in data.items() if k not in ("documents", "fields")}
    cleaned = {}
    if step.form or step_values:
        cleaned, errors = eform.clean(spec, step_values, fields=step.form)
        if errors:
            raise InvalidInput(errors={f"data.{key}": messages for key, messages in errors.items()})
    if outcome == Outcome.SUPPLEMENT:
        request = _supplement_request(task, dossier, user, data, note, now, SupplementRequest.Stage.HANDLING)
        clock.pause(dossier, request, now)
    elif outcome == Outcome.REJECT:
        dossier.timeliness = clock.judge(dossier, now)
    return cleaned


def _consult(task, dossier, user, outcome, data, note, now):
    return {"agency": task.agency.code}


def _payment(task, dossier, user, outcome, data, note, now):
    payment = dossier.payments.filter(status=Payment.Status.PENDING).first()
    if payment is None:
        raise NotFound(_("No pending payment."))
    dossier.payment_status = Dossier.Payment.PAID
    payment.status = Payment.Status.PAID
    payment.paid_at = now
    payment.confirmed_by = user
    if user is not None:  # an officer confirms the money taken at the counter
        payment.provider = "counter"
    payment.reference = str(data.get("reference", ""))[:100]
    payment.save(update_fields=["status", "paid_at", "confirmed_by", "reference", "provider"])
    return {"reference": payment.reference}


def _return(task, dossier, user, outcome, data, note, now):
    how = data.get("how", "desk")
    if how not in RETURN_METHODS:
        message = _("Choose one of: %(methods)s.") % {"methods": ", ".join(RETURN_METHODS)}
        raise InvalidInput(errors={"data.how": [message]})
    dossier.returned_how = how
    if not dossier.timeliness:
        dossier.timeliness = clock.judge(dossier, dossier.issued_at or now)
    return {"how": how}


_OUTCOME_EFFECTS = {
    DossierTask.Kind.INTAKE: _intake,
    DossierTask.Kind.STEP: _step,
    DossierTask.Kind.CONSULT: _consult,
    DossierTask.Kind.PAYMENT: _payment,
    DossierTask.Kind.RETURN: _return,
}


def _supplement_request(task, dossier, user, data, note, now, stage):
    asked = {}
    for name in ("documents", "fields"):
        keys = data.get(name) or []
        if not isinstance(keys, list) or not all(isinstance(key, str) for key in keys):
            raise InvalidInput(errors={f"data.{name}": [_("Give a list of keys.")]})
        asked[name] = keys
    documents = [key for key in asked["documents"] if dossier.spec.document(key)]
    fields = [key for key in asked["fields"] if dossier.spec.field(key)]
    unknown = set(asked["documents"]) - set(documents) | set(asked["fields"]) - set(fields)
    if unknown:
        raise InvalidInput(errors={"data": [_("Unknown documents or fields: %(keys)s.")
                                            % {"keys": ", ".join(sorted(map(str, unknown)))}]})  # fmt: skip
    if not documents and not fields:
        raise InvalidInput(errors={"data": [_("List the documents to supply or the fields to correct.")]})
    return SupplementRequest.objects.create(
        dossier=dossier, stage=stage, step_key=task.step_key, documents=documents, fields=fields,
        reason=note, requested_by=user, requested_at=now,
    )  # fmt: skip


def _cancel_payment(dossier):
    dossier.payments.filter(status=Payment.Status.PENDING).update(status=Payment.Status.CANCELLED)
    if dossier.payment_status == Dossier.Payment.PENDING:
        dossier.payment_status = Dossier.Payment.NOT_REQUIRED
