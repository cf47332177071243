"""Payment providers, one class each, found by name in a registry (the plug-in pattern): the
counter, where an intake officer confirms the money, and online gateways. A province adds a
gateway by writing a class in this package (or its own app) decorated with ``@register``."""

from .base import BadSignature, GatewayError, Notice, PaymentProvider

PROVIDERS = {}


def register(cls):
    PROVIDERS[cls.name] = cls()
    return cls


def get_provider(name):
    try:
        return PROVIDERS[name]
    except KeyError:
        raise LookupError(f"unknown payment provider {name!r}") from None


def online_providers():
    """The online providers configured here (what a citizen is offered)."""
    return [provider for provider in PROVIDERS.values() if provider.online and provider.configured()]


from . import counter, vnpay  # noqa: E402,F401 (they register themselves)

__all__ = ["BadSignature", "GatewayError", "Notice", "PaymentProvider", "get_provider", "online_providers", "register"]
