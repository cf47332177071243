from django.apps import AppConfig


class CommonConfig(AppConfig):
    """Small shared pieces: localized text, after-commit task queueing, page context."""

    name = "egov.common"
    label = "common"
