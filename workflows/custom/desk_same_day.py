"""Example of a custom flow beside the generic one: done at the desk on the spot.

Some procedures (a certified copy, a copy from the register at the commune) need no
handling steps: the intake officer checks the papers, accepts, and returns the result in
the same visit. The flow has its own graph and routing, and reuses the generic flow's
nodes and placements: with no steps and no fee, an accepted dossier goes straight to the
return. Enable it per procedure code::

    EGOV_CUSTOM_FLOWS = {"2.000908": "workflows.custom.desk_same_day.DeskSameDayFlow"}
"""

from viewflow import this
from viewflow.workflow import flow, lock

from ..flows import ProcedureFlow
from ..models import DossierProcess, DossierTask
from ..nodes import DossierStart, HumanTask
from ..routing import Routing


class AtTheDesk(Routing):
    """No handling steps, whatever the definition lists: a fee if one is due, then the return."""

    def steps(self, process):
        return ()


class DeskSameDayFlow(flow.Flow):
    process_class = DossierProcess
    task_class = DossierTask
    lock_impl = lock.SelectForUpdateLock(nowait=False)
    routing = AtTheDesk()

    start = DossierStart(this.start_process).Next(this.intake)
    intake = HumanTask(DossierTask.Kind.INTAKE, this.place_intake)
    await_intake_supplement = flow.Handle().Next(this.intake)
    return_result = HumanTask(DossierTask.Kind.RETURN, this.place_at_desk)
    end = flow.End()

    start_process = ProcedureFlow.start_process
    place_intake = ProcedureFlow.place_intake
    place_at_desk = ProcedureFlow.place_at_desk
