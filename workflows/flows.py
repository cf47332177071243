"""The generic procedure flow: one fixed graph that runs every procedure.

The graph never changes; what happens at each node comes from the procedure version the
dossier pinned. Where a task lands is decided by the placement methods below; where the
dossier goes when a task completes is decided by :mod:`workflows.routing` (the service
layer records the officer's outcome and moves the position first)::

    start ─▶ intake ─┬─ accept ─────────────────────────────▶ onward
                     ├─ supplement ─▶ await_intake_supplement ─▶ intake
                     └─ refuse / redirect ───────────────────▶ end

    onward ─┬─ a fee due ───────▶ payment ─▶ onward
            ├─ a handling step ─▶ step ─┬─ forward / approve / send_back / issue ─▶ onward
            │                           ├─ supplement ─▶ await_supplement ─▶ step
            │                           └─ reject ─────────────────────────────▶ end
            ├─ a consultation ──▶ consult_split ─▶ consult (one per partner) ─▶ consult_join ─▶ route ─▶ onward
            └─ done ────────────▶ return_result ─▶ end

Withdrawal cancels the process wherever it stands (``ProcedureFlow.instance.cancel``).
"""

from django.utils import timezone
from viewflow import this
from viewflow.workflow import flow, lock

from egov.agencies.models import Agency
from egov.calendar.clock import WorkingCalendar
from egov.common.vocabulary import Role

from .models import DossierProcess, DossierTask
from .nodes import ConsultSplit, DossierStart, HumanTask
from .routing import Move, Routing, onward_is


class ProcedureFlow(flow.Flow):
    process_class = DossierProcess
    task_class = DossierTask
    # Row lock on the process: two officers completing one task are serialised, and the
    # second finds the task done (a conflict) instead of completing it twice.
    lock_impl = lock.SelectForUpdateLock(nowait=False)

    process_title = "Procedure"
    routing = Routing()

    start = DossierStart(this.start_process).Next(this.intake)

    intake = HumanTask(DossierTask.Kind.INTAKE, this.place_intake)
    await_intake_supplement = flow.Handle().Next(this.intake)

    step = HumanTask(DossierTask.Kind.STEP, this.place_step)
    await_supplement = flow.Handle().Next(this.step)

    consult_split = ConsultSplit().Next(this.consult)
    consult = HumanTask(DossierTask.Kind.CONSULT, this.place_consult)
    consult_join = flow.Join().Next(this.route)
    # After the join, a gateway of viewflow's own routes on (a consultation is rare; a
    # hand-over between two officers needs none, see workflows/nodes.py).
    route = (
        flow.Switch()
        .Case(this.payment, onward_is(Move.PAYMENT))
        .Case(this.step, onward_is(Move.STEP))
        .Case(this.consult_split, onward_is(Move.CONSULT))
        .Default(this.return_result)
    )

    payment = HumanTask(DossierTask.Kind.PAYMENT, this.place_at_desk)
    return_result = HumanTask(DossierTask.Kind.RETURN, this.place_at_desk)

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
        step = self.routing.steps(process)[process.step_index]
        agency = agency_for(dossier, step.at)
        return {
            "dossier": dossier,
            "role": step.role,
            "agency": agency,
            "step_key": step.key,
            "step_index": step.index,
            "due_at": budget_deadline(agency, step.budget_hours),
        }

    def consultations(self, activation):
        """The partner agencies the current step consults: one consult task each."""
        process = activation.process
        return self.routing.steps(process)[process.step_index].consultations

    def place_consult(self, activation):
        process = activation.process
        dossier = process.dossier
        step = self.routing.steps(process)[process.step_index]
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
    return WorkingCalendar.for_agency(agency).budget_deadline(timezone.now(), hours)
