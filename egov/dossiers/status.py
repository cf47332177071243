"""The status a dossier shows, derived in one place from where its workflow goes.

The routing module (workflows/routing.py) says where a dossier goes when a task completes
(a Move); this says what the applicant, the queues and the statistics read from that.
"""

from egov.common.vocabulary import Outcome, Role
from workflows import routing
from workflows.routing import Move

from .models import Dossier

ENDED = {
    Outcome.REFUSE: Dossier.Status.REFUSED,
    Outcome.REDIRECT: Dossier.Status.REDIRECTED,
    Outcome.REJECT: Dossier.Status.REJECTED,
    Outcome.RETURNED: Dossier.Status.RETURNED,
}
WAITING = {
    Move.SUPPLEMENT: Dossier.Status.SUPPLEMENT_REQUESTED,
    Move.CONSULT: Dossier.Status.AWAITING_PARTNER,
    Move.AWAIT_PARTNERS: Dossier.Status.AWAITING_PARTNER,
    Move.PAYMENT: Dossier.Status.AWAITING_PAYMENT,
    Move.RETURN: Dossier.Status.READY_FOR_RETURN,
}


def after(move, process, outcome=None):
    """The status once the dossier has made ``move`` (``outcome``: the decision that ended it)."""
    if move == Move.END:
        return ENDED[outcome]
    if move == Move.STEP:
        return at_step(process)
    return WAITING[move]


def at_step(process):
    """Being handled at the step of the process's position; the head's decision shows as such."""
    step = routing.of(process).steps(process)[process.step_index]
    return Dossier.Status.AWAITING_APPROVAL if step.role == Role.APPROVER else Dossier.Status.IN_PROGRESS
