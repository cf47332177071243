from .oidc import enabled


def national_eid(request):
    """Whether pages offer the national e-ID login."""
    return {"eid_enabled": enabled()}
