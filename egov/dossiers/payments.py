"""Payment providers behind one interface, found by name in a registry.

``counter`` (pay at the desk, an intake officer confirms the receipt of the money) works
everywhere. Online providers (a payment gateway of the national portal, a bank) plug in
by registering a class with the same two methods.
"""

from django.utils.translation import gettext_lazy as _

PROVIDERS = {}


def register(cls):
    PROVIDERS[cls.name] = cls()
    return cls


def get_provider(name):
    try:
        return PROVIDERS[name]
    except KeyError:
        raise LookupError(f"unknown payment provider {name!r}")


class PaymentProvider:
    name = ""
    label = ""

    def start(self, payment):
        """Begin collecting ``payment``; return instructions for the payer (a URL, a text)."""
        raise NotImplementedError

    def confirmation_is_valid(self, payment, evidence):
        """Whether ``evidence`` (what the provider or the officer sent) proves the payment."""
        raise NotImplementedError


@register
class CounterProvider(PaymentProvider):
    """Cash or card at the one-stop desk; the intake officer confirms it in the workspace."""

    name = "counter"
    label = _("Pay at the counter")

    def start(self, payment):
        return {"instructions": str(_("Pay at the one-stop desk when you come for the result."))}

    def confirmation_is_valid(self, payment, evidence):
        # The officer's confirmation is the evidence; the service checked their role.
        return True
