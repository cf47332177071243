"""The defaults every deployment starts with: who hears about which event, and the wording.

Administrators change both in the admin (NotificationRule, MessageTemplate); these apply
where they have not. Default wording goes through gettext, so it exists in Vietnamese and
English; ``{{ … }}`` are the template variables filled in for each message.
"""

from django.utils.translation import gettext_noop as _

from egov.integrations import events

from .models import Audience, Channel

ALL = [Channel.EMAIL, Channel.SMS, Channel.IN_APP]
QUIET = [Channel.EMAIL, Channel.IN_APP]

RULES = {
    events.DOSSIER_SUBMITTED: {Audience.APPLICANT: ALL, Audience.NEXT_OFFICERS: QUIET},
    events.DOSSIER_ACCEPTED: {Audience.APPLICANT: ALL, Audience.NEXT_OFFICERS: QUIET},
    events.SUPPLEMENT_REQUESTED: {Audience.APPLICANT: ALL},
    events.SUPPLEMENT_ANSWERED: {Audience.NEXT_OFFICERS: QUIET},
    events.STEP_COMPLETED: {Audience.NEXT_OFFICERS: QUIET},
    events.APPROVED: {Audience.NEXT_OFFICERS: QUIET},
    events.CONSULTATION_ANSWERED: {Audience.NEXT_OFFICERS: QUIET},
    events.DOSSIER_REFUSED: {Audience.APPLICANT: ALL},
    events.DOSSIER_REDIRECTED: {Audience.APPLICANT: ALL},
    events.REJECTED: {Audience.APPLICANT: ALL},
    events.APOLOGISED: {Audience.APPLICANT: ALL},
    events.PAYMENT_REQUESTED: {Audience.APPLICANT: ALL, Audience.NEXT_OFFICERS: QUIET},
    events.READY_FOR_RETURN: {Audience.APPLICANT: ALL, Audience.NEXT_OFFICERS: QUIET},
    events.WITHDRAWN: {Audience.APPLICANT: QUIET},
    events.STEP_OVERDUE: {Audience.CENTER_MANAGER: QUIET},
    events.DUE_SOON: {Audience.CENTER_MANAGER: QUIET},
    events.OVERDUE: {Audience.CENTER_MANAGER: QUIET},
}

# (subject, body) for e-mail and in-app notices; SMS uses SMS_TEXT.
TEXTS = {
    events.DOSSIER_SUBMITTED: (
        _("Dossier {{ code }} received"),
        _("Dear {{ name }},\n\nyour dossier {{ code }} ({{ procedure }}) was received. The one-stop desk will check "
          "it; you will be told when it is accepted.\n\nFollow it at {{ link }}"),
    ),
    events.DOSSIER_ACCEPTED: (
        _("Dossier {{ code }} accepted"),
        _("Dear {{ name }},\n\nyour dossier {{ code }} ({{ procedure }}) was accepted. The result is due on "
          "{{ due }}. The receipt is on the dossier's page: {{ link }}"),
    ),
    events.SUPPLEMENT_REQUESTED: (
        _("Dossier {{ code }}: more papers needed"),
        _("Dear {{ name }},\n\nto go on with your dossier {{ code }}, please supplement it: {{ reason }}\n\n"
          "Answer at {{ link }}"),
    ),
    events.DOSSIER_REFUSED: (
        _("Dossier {{ code }} refused"),
        _("Dear {{ name }},\n\nyour dossier {{ code }} could not be received: {{ reason }}\n\n{{ link }}"),
    ),
    events.DOSSIER_REDIRECTED: (
        _("Dossier {{ code }}: another agency handles it"),
        _("Dear {{ name }},\n\nyour dossier {{ code }} is not within this unit's scope: {{ reason }}\n\n{{ link }}"),
    ),
    events.REJECTED: (
        _("Dossier {{ code }}: decision"),
        _("Dear {{ name }},\n\nyour request ({{ procedure }}, dossier {{ code }}) was refused: {{ reason }}\n\n"
          "The written reasons are on {{ link }}"),
    ),
    events.APOLOGISED: (
        _("Dossier {{ code }}: new date"),
        _("Dear {{ name }},\n\nwe apologise: your dossier {{ code }} will be late. Reason: {{ reason }}. "
          "New date: {{ new_due }}.\n\n{{ link }}"),
    ),
    events.PAYMENT_REQUESTED: (
        _("Dossier {{ code }}: fee to pay"),
        _("Dear {{ name }},\n\nthe fee of your dossier {{ code }} is due before the result is handed over. "
          "{{ link }}"),
    ),
    events.READY_FOR_RETURN: (
        _("Dossier {{ code }}: the result is ready"),
        _("Dear {{ name }},\n\nthe result of your dossier {{ code }} ({{ procedure }}) is ready. {{ link }}"),
    ),
    events.WITHDRAWN: (
        _("Dossier {{ code }} withdrawn"),
        _("Dear {{ name }},\n\nyour dossier {{ code }} was withdrawn as you asked. {{ link }}"),
    ),
    "officer": (
        _("Dossier {{ code }} is waiting for you"),
        _("Dossier {{ code }} ({{ procedure }}) is waiting at the step “{{ step }}”. Open your queue: {{ link }}"),
    ),
    "manager": (
        _("Dossier {{ code }} needs attention"),
        _("Dossier {{ code }} ({{ procedure }}): {{ reason }}. Due {{ due }}. {{ link }}"),
    ),
}

# Kept short: one SMS is 160 plain characters (70 with diacritics; see EGOV_SMS_ASCII).
SMS_TEXT = {
    events.DOSSIER_SUBMITTED: _("Dossier {{ code }} received online. Track: {{ link }}"),
    events.DOSSIER_ACCEPTED: _("Dossier {{ code }} accepted; result due {{ due }}."),
    events.SUPPLEMENT_REQUESTED: _("Dossier {{ code }} needs more papers: {{ link }}"),
    events.DOSSIER_REFUSED: _("Dossier {{ code }} refused at intake. Reasons: {{ link }}"),
    events.DOSSIER_REDIRECTED: _("Dossier {{ code }} is not within this unit's scope: {{ link }}"),
    events.REJECTED: _("Dossier {{ code }} refused. Reasons: {{ link }}"),
    events.APOLOGISED: _("Dossier {{ code }} is late; new date {{ new_due }}. We apologise."),
    events.PAYMENT_REQUESTED: _("Dossier {{ code }}: please pay the fee before collecting the result."),
    events.READY_FOR_RETURN: _("Dossier {{ code }}: the result is ready. {{ link }}"),
}
