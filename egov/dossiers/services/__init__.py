"""Every change to a dossier is one of these functions: it checks that the user may do it,
runs in one transaction, writes the audit record and the outbox event, and leaves slow
work (documents, messages) to run after commit.
"""

from .applicant import answer_supplement, rate, withdraw
from .applying import add_attachment, adopt_rules_in_force, create_draft, remove_attachment, submit, update_draft
from .clock import apologise
from .handling import claim, complete_task, confirm_payment, reassign, release, settle_fee

__all__ = [
    "add_attachment", "adopt_rules_in_force", "answer_supplement", "apologise", "claim", "complete_task",
    "confirm_payment", "create_draft",
    "rate", "reassign", "remove_attachment", "release", "settle_fee", "submit", "update_draft", "withdraw",
]  # fmt: skip
