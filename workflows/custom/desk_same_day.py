"""Example of a custom flow beside the generic one: done at the desk on the spot.

Some procedures (a certified copy, a copy from the register at the commune) need no
handling steps: the intake officer checks the papers, accepts, and returns the result in
the same visit. The flow reads top to bottom like the generic one, with its own graph,
and reuses its nodes and placements. Enable it per procedure code::

    EGOV_CUSTOM_FLOWS = {"2.000908": "workflows.custom.desk_same_day.DeskSameDayFlow"}
"""

from viewflow import this
from viewflow.workflow import flow, lock

from ..flows import ProcedureFlow
from ..models import DossierProcess, DossierTask
from ..nodes import DossierStart, HumanTask


class DeskSameDayFlow(flow.Flow):
    process_class = DossierProcess
    task_class = DossierTask
    lock_impl = lock.SelectForUpdateLock(nowait=False)

    start = DossierStart(this.start_process).Next(this.intake)
    intake = (
        HumanTask(DossierTask.Kind.INTAKE, this.place_intake)
        .Case(this.await_intake_supplement, lambda a: a.task.outcome == "supplement")
        .Case(this.end, lambda a: a.task.outcome in ("refuse", "redirect"))
        .Default(this.return_result)
    )
    await_intake_supplement = flow.Handle().Next(this.intake)
    return_result = HumanTask(DossierTask.Kind.RETURN, this.place_at_desk).Next(this.end)
    end = flow.End()

    start_process = ProcedureFlow.start_process
    place_intake = ProcedureFlow.place_intake
    place_at_desk = ProcedureFlow.place_at_desk
