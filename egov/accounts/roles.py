"""The roles of the one-stop process (domain notes section 2).

Every staff role is held *at an agency*: a user may be case officer at the Justice
Department and nothing anywhere else.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INTAKE_OFFICER = "intake_officer", _("Intake officer")
    CASE_OFFICER = "case_officer", _("Case officer")
    REVIEWER = "reviewer", _("Reviewer")
    APPROVER = "approver", _("Approver")
    CLERK = "clerk", _("Clerk")
    PARTNER = "partner", _("Partner agency officer")
    CENTER_MANAGER = "center_manager", _("Service centre manager")
    PROCEDURE_ADMIN = "procedure_admin", _("Procedure administrator")


# Roles that handle tasks of the workflow (the others supervise or administer).
TASK_ROLES = {
    Role.INTAKE_OFFICER,
    Role.CASE_OFFICER,
    Role.REVIEWER,
    Role.APPROVER,
    Role.CLERK,
    Role.PARTNER,
}
