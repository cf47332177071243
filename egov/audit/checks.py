"""A deployment without its sealing key would write an audit trail nobody can seal: say so at
``check --deploy`` rather than at the first minute of beat."""

from pathlib import Path

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def sealing_key_is_set(app_configs, **kwargs):
    if settings.EGOV_AUDIT_KEY or Path(settings.EGOV_AUDIT_KEY_FILE).exists() or settings.EGOV_AUDIT_KEY_CREATE:
        return []
    return [checks.Error(
        f"The audit trail's sealing key is missing: set EGOV_AUDIT_KEY, or EGOV_AUDIT_KEY_FILE to a file holding "
        f"one (now {settings.EGOV_AUDIT_KEY_FILE}).", id="egov.audit.E001",
        hint="Make one with: python -c 'import secrets; print(secrets.token_hex(32))'; keep it out of the database.",
    )]  # fmt: skip
