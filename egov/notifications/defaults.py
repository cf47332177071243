"""The wording of the messages that follow no single event: what an officer or the centre
manager is told about a dossier waiting for them. Each event's own default rules and
wording are in its declaration (egov/integrations/events.py).

Default wording goes through gettext, so it exists in Vietnamese and English;
``{{ … }}`` are the template variables filled in for each message.
"""

from django.utils.translation import gettext_noop as _

# (subject, body) for e-mail and in-app notices to staff.
STAFF_TEXTS = {
    "officer": (
        _("Dossier {{ code }} is waiting for you"),
        _("Dossier {{ code }} ({{ procedure }}) is waiting at the step “{{ step }}”. Open your queue: {{ link }}"),
    ),
    "manager": (
        _("Dossier {{ code }} needs attention"),
        _("Dossier {{ code }} ({{ procedure }}): {{ reason }}. Due {{ due }}. {{ link }}"),
    ),
}
