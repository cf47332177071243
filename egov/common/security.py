"""HTTP hardening that Django 5.2 does not do by itself."""

from django.conf import settings


# No inline script or style anywhere on our pages: the e-form logic, uploads and charts are
# static files, data reaches them through <script type="application/json"> blocks.
def strict_policy(form_targets=()):
    """Forms go to ourselves, or to a payment gateway (EGOV_FORM_ACTION_ORIGINS); a page whose
    form is answered by a redirect elsewhere names that place (``form_targets``: the consent
    page of an app, egov/accounts/oauth/views.py)."""
    targets = " ".join(["'self'", *settings.EGOV_FORM_ACTION_ORIGINS, *form_targets])
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
        f"connect-src 'self'; object-src 'none'; base-uri 'self'; form-action {targets}; frame-ancestors 'none'"
    )

# The admin and the API explorer are third-party pages with inline code; they get a looser
# policy (still no foreign origins).
LOOSE_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)
LOOSE_PREFIXES = ("/admin/", "/api/docs/")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", "") or "\x00" in request.path:
            # A NUL character is never meaningful here, and PostgreSQL refuses it in any string.
            from django.http import HttpResponseBadRequest

            return HttpResponseBadRequest("NUL characters are not allowed")
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            loose = request.path.startswith(LOOSE_PREFIXES)
            response["Content-Security-Policy"] = LOOSE_POLICY if loose else strict_policy()
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False) and (user.kind == "staff" or user.is_staff):
            # Staff sessions end after a working session of inactivity (a shared desk computer).
            request.session.set_expiry(settings.EGOV_STAFF_SESSION_IDLE_SECONDS)
        return response
