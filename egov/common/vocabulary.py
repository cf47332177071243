"""The words of the procedure format and of the one-stop process, defined once.

Every app below and above uses these names: the format's validator (catalog), the engine
(workflows, dossiers), the calendar, the statistics and the pages. A word added here is a
word of the format (docs/procedure-format.md); the labels are what people read.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of the one-stop process (domain notes section 2); each is held at an agency."""

    INTAKE_OFFICER = "intake_officer", _("Intake officer")
    CASE_OFFICER = "case_officer", _("Case officer")
    REVIEWER = "reviewer", _("Reviewer")
    APPROVER = "approver", _("Approver")
    CLERK = "clerk", _("Clerk")
    PARTNER = "partner", _("Partner agency officer")
    CENTER_MANAGER = "center_manager", _("Service centre manager")
    PROCEDURE_ADMIN = "procedure_admin", _("Procedure administrator")


# Roles a step of a definition may name (the centre manager and the administrator hold no step).
STEP_ROLES = (Role.CASE_OFFICER, Role.REVIEWER, Role.APPROVER, Role.CLERK, Role.PARTNER, Role.INTAKE_OFFICER)


class Outcome(models.TextChoices):
    """What an officer decides on a task. The step outcomes are the format's closed set; the
    engine's own tasks (intake, consultation, payment, return) have theirs."""

    # handling steps (the format)
    FORWARD = "forward", _("Forward")
    APPROVE = "approve", _("Approve")
    SEND_BACK = "send_back", _("Send back")
    SUPPLEMENT = "supplement", _("Ask for more")
    PROPOSE_REFUSAL = "propose_refusal", _("Propose refusal")
    REJECT = "reject", _("Reject")
    ISSUE = "issue", _("Issue the result")
    # the engine's tasks
    ACCEPT = "accept", _("Accept")
    REFUSE = "refuse", _("Refuse")
    REDIRECT = "redirect", _("Not within scope")
    ANSWER = "answer", _("Answer")
    PAID = "paid", _("Paid")
    RETURNED = "returned", _("Returned")


STEP_OUTCOMES = (
    Outcome.FORWARD, Outcome.APPROVE, Outcome.SEND_BACK, Outcome.SUPPLEMENT, Outcome.PROPOSE_REFUSAL,
    Outcome.REJECT, Outcome.ISSUE,
)  # fmt: skip
# Step outcomes after which the dossier leaves the step for good (not back to an earlier step).
MOVING_OUTCOMES = frozenset({Outcome.FORWARD, Outcome.APPROVE, Outcome.PROPOSE_REFUSAL, Outcome.REJECT, Outcome.ISSUE})
INTAKE_OUTCOMES = (Outcome.ACCEPT, Outcome.SUPPLEMENT, Outcome.REFUSE, Outcome.REDIRECT)
# Outcomes whose reasons must be written down (refusals and requests go to the applicant).
OUTCOMES_WITH_REASONS = frozenset({
    Outcome.SUPPLEMENT, Outcome.REFUSE, Outcome.REDIRECT, Outcome.PROPOSE_REFUSAL, Outcome.REJECT, Outcome.ANSWER,
})  # fmt: skip


class Channel(models.TextChoices):
    """How a dossier came in."""

    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    POST = "post", _("By post")
    API = "api", _("Through another system")


# The channels a definition lists (``channels``) and a condition tests; a dossier filed by
# another system counts as online.
DEFINITION_CHANNELS = (Channel.ONLINE, Channel.IN_PERSON, Channel.POST)
DESK_CHANNELS = (Channel.IN_PERSON, Channel.POST)


class ApplicantType(models.TextChoices):
    """Who a dossier is for (the format's ``applicant_types``; ``applicant.type`` in rules)."""

    INDIVIDUAL = "individual", _("Individual")
    ORGANIZATION = "organization", _("Organisation")
    FOREIGNER = "foreigner", _("Foreign national")


class Timeliness(models.TextChoices):
    """A result against its due date, a step against its budget."""

    EARLY = "early", _("Early")
    ON_TIME = "on_time", _("On time")
    LATE = "late", _("Late")


# A working day counts this many office hours (step budgets against the time limit, the
# working-hours rule of the calendar).
HOURS_PER_WORKING_DAY = 8
# "Same day" procedures: received up to this local time, due at the close of that day.
SAME_DAY_CUTOFF = "15:00"
