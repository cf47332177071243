"""Where a dossier goes next: the one module that decides it.

A dossier's process keeps its position (``step_index``) in the steps of the pinned
procedure version. When an officer completes a task, ``advance`` moves the position for
the outcome and says where the dossier goes now (a :class:`Move`); as the task completes,
the flow opens the node ``node_after`` names; the dossier's status is read
from the move (egov/dossiers/standing.py). The order of things is stated here once::

    intake ─▶ a fee due before processing ─▶ the steps, in order ─▶ a fee due before the
    result ─▶ the return of the result

A consultation step opens one task per partner agency; the last answer moves the dossier
on. ``supplement`` waits for the applicant and comes back to the same task; ``refuse``,
``redirect``, ``reject`` and ``returned`` end the dossier.
"""

import enum

from django.utils.translation import gettext as _

from egov.common.errors import InvalidInput
from egov.common.vocabulary import Outcome

from .models import OPEN_TASK_STATUSES, DossierTask


class Move(enum.StrEnum):
    SUPPLEMENT = "supplement"  # the applicant owes papers or corrections
    PAYMENT = "payment"  # a fee is due
    STEP = "step"  # the next handling step
    CONSULT = "consult"  # partner agencies are consulted, one task each
    AWAIT_PARTNERS = "await_partners"  # a partner answered; others have not yet
    RETURN = "return"  # the result is ready to hand over
    END = "end"  # refused, redirected, rejected, or the result returned


# Outcomes that end the dossier wherever it stands.
ENDING = frozenset({Outcome.REFUSE, Outcome.REDIRECT, Outcome.REJECT, Outcome.RETURNED})
# Step outcomes that move the dossier to the step after.
ONWARD = frozenset({Outcome.FORWARD, Outcome.APPROVE, Outcome.PROPOSE_REFUSAL})

# The node of the flow that each move opens (workflows/flows.py names its nodes so).
NODES = {
    Move.PAYMENT: "payment",
    Move.STEP: "step",
    Move.CONSULT: "consult_split",
    Move.RETURN: "return_result",
    Move.END: "end",
}


class Routing:
    """The generic flow's routing (workflows/flows.py). A custom flow with another graph
    brings its own subclass (``routing`` on the flow class; workflows/custom/)."""

    def steps(self, process):
        """The handling steps the dossier goes through: its pinned version's."""
        return process.dossier.spec.steps

    def onward(self, process):
        """Where the dossier goes from its position when nothing holds it: a fee due first,
        then the step at the position, then a fee due before the result, then the return."""
        dossier = process.dossier
        fee_due = dossier.payment_status == dossier.Payment.PENDING
        if fee_due and dossier.spec.payment == "before_processing":
            return Move.PAYMENT
        steps = self.steps(process)
        if process.step_index < len(steps):
            return Move.CONSULT if steps[process.step_index].is_consultation else Move.STEP
        if fee_due:
            return Move.PAYMENT
        return Move.RETURN

    def advance(self, task, outcome):
        """Move the position of ``task``'s process for ``outcome`` and return the move.

        Call it before the task completes (the flow then opens :meth:`node_after`); the
        caller saves the process's ``step_index`` if it changed.
        """
        process = task.process
        if outcome == Outcome.SUPPLEMENT:
            return Move.SUPPLEMENT
        if outcome in ENDING:
            return Move.END
        steps = self.steps(process)
        if task.kind == DossierTask.Kind.CONSULT:
            others = process.task_set.filter(kind=DossierTask.Kind.CONSULT, status__in=OPEN_TASK_STATUSES)
            if others.exclude(pk=task.pk).exists():
                return Move.AWAIT_PARTNERS
            process.step_index = task.step_index + 1
        elif task.kind == DossierTask.Kind.STEP:
            step = steps[task.step_index]
            if outcome in ONWARD:
                process.step_index = step.index + 1
            elif outcome == Outcome.ISSUE:
                process.step_index = len(steps)
            elif outcome == Outcome.SEND_BACK:
                target = process.dossier.spec.step(step.send_back_to) if step.send_back_to else None
                index = target.index if target else step.index - 1
                if index < 0:
                    raise InvalidInput(
                        errors={"outcome": [_("There is no earlier step to send the dossier back to.")]}
                    )
                process.step_index = index
        # intake accepted, a fee paid: the position stays where it is
        return self.onward(process)

    def steps_done(self, process):
        """Whether the dossier has been through every handling step (its result is issued)."""
        return process.step_index >= len(self.steps(process))

    def node_after(self, task):
        """The name of the flow node that follows ``task``, once :meth:`advance` has moved
        the position for its outcome."""
        if task.kind == DossierTask.Kind.CONSULT:
            return "consult_join"  # the join waits for every partner, then routes on
        if task.outcome == Outcome.SUPPLEMENT:
            return "await_intake_supplement" if task.kind == DossierTask.Kind.INTAKE else "await_supplement"
        if task.outcome in ENDING:
            return NODES[Move.END]
        return NODES[self.onward(task.process)]


def of(process):
    """The routing of the flow ``process`` runs."""
    return process.flow_class.routing


def onward_is(move):
    """A condition for a gateway of the flow: the dossier goes ``move`` from its position."""
    return lambda activation: of(activation.process).onward(activation.process) == move
