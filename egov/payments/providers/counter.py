from django.utils.translation import gettext_lazy as _

from . import register
from .base import PaymentProvider


@register
class CounterProvider(PaymentProvider):
    """Cash or card at the one-stop desk: the intake officer confirms it in the workspace
    (``dossiers.services.confirm_payment``), and hands a refund back there."""

    name = "counter"
    label = _("At the one-stop desk")
    online = False

    def start(self, transaction, return_url, client_ip):
        raise NotImplementedError("the counter takes no online payment")

    @staticmethod
    def instructions():
        return str(_("Pay at the one-stop desk when you come for the result."))
