import dataclasses


class BadSignature(Exception):
    """What claims to come from the gateway is not signed with our shared secret."""


class GatewayError(Exception):
    """The gateway could not be reached, or answered with an error."""


@dataclasses.dataclass(frozen=True)
class Notice:
    """What a gateway says of one transaction, once its signature is checked."""

    reference: str  # ours (the transaction's)
    paid: bool
    amount: int | None = None  # in đồng
    gateway_reference: str = ""
    code: str = ""  # the gateway's own answer code
    known: bool = True  # False: the gateway has no such transaction (never reached it)


class PaymentProvider:
    """One way of paying. Online providers implement every method; the counter only ``start``."""

    name = ""
    label = ""
    online = True

    def configured(self):
        """Whether this installation has the provider's settings."""
        return True

    def check_config(self):
        """Problems with the provider's settings, in words an operator can act on."""
        return []

    def start(self, transaction, return_url, client_ip):
        """The address to send the payer to."""
        raise NotImplementedError

    def read_return(self, params):
        """The payer's return, checked: a Notice, or BadSignature."""
        raise NotImplementedError

    def read_notification(self, params):
        """The gateway's server-to-server notification, checked: a Notice, or BadSignature."""
        raise NotImplementedError

    def notification_answer(self, code):
        """What the gateway expects back, for one of our answer codes (``ANSWERS``): (body, content type)."""
        raise NotImplementedError

    def query(self, transaction):
        """Ask the gateway about ``transaction``: a Notice, or GatewayError."""
        raise NotImplementedError

    def refund(self, refund):
        """Give ``refund.amount`` back through the gateway: its reference, or GatewayError."""
        raise NotImplementedError


# Our answers to a notification, whatever the gateway calls them.
CONFIRMED, ALREADY, NOT_FOUND, BAD_AMOUNT, BAD_SIGNATURE, FAILURE = (
    "confirmed", "already", "not_found", "bad_amount", "bad_signature", "failure")  # fmt: skip
