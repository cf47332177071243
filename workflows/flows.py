"""The generic procedure flow: one fixed graph that runs every procedure.

The graph never changes; what happens at each node comes from the procedure version the
dossier pinned when it was created. An officer's decision (the outcome of a task) is
recorded on the task by the service layer before it completes, and each task routes on
its own outcome and the process's position as it completes (``route`` below is drawn
once; intake, a step and the payment decide it themselves, only the join after
consultations goes through a gateway)::

    submit ─▶ intake ─┬─ accept ───────────────────────────▶ route
                      ├─ supplement ─▶ awaiting applicant ─▶ intake
                      └─ refuse / redirect ───────────────▶ end

    route ─┬─ a handling step ─▶ step ─┬─ forward / approve / send_back / issue ─▶ route
           │                           ├─ supplement ─▶ awaiting applicant ─▶ step
           │                           └─ reject ─────────────────────────────────▶ end
           ├─ a consultation ─▶ one task per partner agency ─▶ join ─▶ route
           ├─ a fee to pay ───▶ payment ─▶ route
           └─ done ───────────▶ return of the result ─▶ end

Withdrawal cancels the process wherever it stands (``ProcedureFlow.instance.cancel``).
"""

from viewflow import this
from viewflow.workflow import flow, lock

from egov.accounts.roles import Role
from egov.agencies.models import Agency
from egov.calendar.clock import WorkingCalendar

from .models import DossierProcess, DossierTask
from .nodes import ConsultSplit, DossierStart, HumanTask
from .routing import Move, next_move


def _moves_to(move):
    return lambda activation: next_move(activation.process) == move


def _onward(node, *, fee=True):
    """``node``'s cases for where the dossier goes next, in the order of workflows/routing.py:
    a fee due, the next step, a consultation, else the return of the result (``fee=False``
    after the payment itself)."""
    if fee:
        node = node.Case(this.payment, _moves_to(Move.PAYMENT))
    return (
        node.Case(this.step, _moves_to(Move.STEP))
        .Case(this.consult_split, _moves_to(Move.CONSULT))
        .Default(this.return_result)
    )


class ProcedureFlow(flow.Flow):
    process_class = DossierProcess
    task_class = DossierTask
    # Row lock on the process: two officers completing one task are serialised, and the
    # second finds the task done (a conflict) instead of completing it twice.
    lock_impl = lock.SelectForUpdateLock(nowait=False)

    process_title = "Procedure"

    start = DossierStart(this.start_process).Next(this.intake)

    # Each task routes the dossier on itself as it completes (``Case``/``Default``, see
    # workflows/nodes.py): no gateway task between two officers.
    intake = _onward(
        HumanTask(DossierTask.Kind.INTAKE, this.place_intake)
        .Case(this.await_intake_supplement, lambda a: a.task.outcome == "supplement")
        .Case(this.end, lambda a: a.task.outcome in ("refuse", "redirect"))
    )
    await_intake_supplement = flow.Handle().Next(this.intake)

    step = _onward(
        HumanTask(DossierTask.Kind.STEP, this.place_step)
        .Case(this.await_supplement, lambda a: a.task.outcome == "supplement")
        .Case(this.end, lambda a: a.task.outcome == "reject")
    )
    await_supplement = flow.Handle().Next(this.step)

    consult_split = ConsultSplit(this.consult_entries).Next(this.consult)
    consult = HumanTask(DossierTask.Kind.CONSULT, this.place_consult).Next(this.consult_join)
    # A join completes as a gateway of its own; the route after it is one more.
    consult_join = flow.Join().Next(this.route)
    route = _onward(flow.Switch())

    payment = _onward(HumanTask(DossierTask.Kind.PAYMENT, this.place_at_desk), fee=False)

    return_result = HumanTask(DossierTask.Kind.RETURN, this.place_at_desk).Next(this.end)

    end = flow.End()

    # --- start --------------------------------------------------------------------------

    def start_process(self, activation, dossier):
        activation.process.dossier = dossier
        return activation.process

    # --- where tasks land -----------------------------------------------------------------

    def place_intake(self, activation):
        dossier = activation.process.dossier
        return {"dossier": dossier, "role": Role.INTAKE_OFFICER, "agency": dossier.receiving_agency,
                "step_key": "intake", "step_index": -1}  # fmt: skip

    def place_at_desk(self, activation):
        dossier = activation.process.dossier
        key = "payment" if activation.flow_task.kind == DossierTask.Kind.PAYMENT else "return"
        return {"dossier": dossier, "role": Role.INTAKE_OFFICER, "agency": dossier.receiving_agency,
                "step_key": key, "step_index": None}  # fmt: skip

    def place_step(self, activation):
        process = activation.process
        dossier = process.dossier
        step = dossier.spec.steps[process.step_index]
        agency = agency_for(dossier, step.at)
        return {
            "dossier": dossier,
            "role": step.role,
            "agency": agency,
            "step_key": step.key,
            "step_index": step.index,
            "due_at": budget_deadline(agency, step.budget_hours),
        }

    def consult_entries(self, activation):
        process = activation.process
        return process.dossier.spec.steps[process.step_index].consultations

    def place_consult(self, activation):
        process = activation.process
        dossier = process.dossier
        step = dossier.spec.steps[process.step_index]
        agency = Agency.objects.get(code=activation.task.data["agency"])
        return {
            "dossier": dossier,
            "role": activation.task.data.get("role", Role.PARTNER),
            "agency": agency,
            "step_key": step.key,
            "step_index": step.index,
            "due_at": budget_deadline(agency, step.budget_hours),
        }


def agency_for(dossier, at):
    if at == "deciding":
        return dossier.deciding_agency
    if at == "receiving":
        return dossier.receiving_agency
    return Agency.objects.get(code=at)


def budget_deadline(agency, hours):
    if not hours:
        return None
    from django.utils import timezone

    return WorkingCalendar.for_agency(agency).budget_deadline(timezone.now(), hours)
