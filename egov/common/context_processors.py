from django.conf import settings


def site(request):
    """What every page needs to know about the deployment."""
    from egov.accounts.oidc import enabled

    return {"SITE_URL": settings.SITE_URL, "eid_enabled": enabled()}
