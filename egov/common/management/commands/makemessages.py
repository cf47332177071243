"""Django's makemessages, also reading ``N_("…")``: the event catalogue
(egov/integrations/events.py) marks its default message texts with ``gettext_noop as N_``,
translated when a message is written, and xgettext knows that alias only when told."""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    xgettext_options = [*makemessages.Command.xgettext_options, "--keyword=N_"]
