"""Where a dossier goes next, read from its pinned procedure version.

One function, behind every node that routes the dossier onward (``_onward`` in
workflows/flows.py), so the order of things (a fee due before processing, the steps in
order, a fee due before the result, then the return) is stated once.
"""

import enum


class Move(enum.StrEnum):
    PAYMENT = "payment"
    STEP = "step"
    CONSULT = "consult"
    RETURN = "return"


def next_move(process):
    dossier = process.dossier
    spec = dossier.spec
    fee_due = dossier.payment_status == dossier.Payment.PENDING
    if fee_due and spec.payment == "before_processing":
        return Move.PAYMENT
    steps = spec.steps
    if process.step_index < len(steps):
        return Move.CONSULT if steps[process.step_index].is_consultation else Move.STEP
    if fee_due:
        return Move.PAYMENT
    return Move.RETURN
