from django.core import checks

from .providers import PROVIDERS


@checks.register(checks.Tags.compatibility)
def providers_configured(app_configs, **kwargs):
    """Each payment provider's settings, checked at start-up (``manage.py check``)."""
    return [checks.Error(problem, id="egov.payments.E001", obj=provider.name)
            for provider in PROVIDERS.values() for problem in provider.check_config()]  # fmt: skip
