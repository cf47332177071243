from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _


@login_required
def after_login(request):
    """Citizens land on their dossiers, officers on their workspace."""
    if request.user.kind == "staff" or request.user.is_staff:
        return redirect("backoffice:queue")
    return redirect("portal:my-dossiers")


def health(request):
    """Liveness and database reachability, for load balancers and the run scripts."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def bad_request(request, exception=None):
    """Django's answer to a request it refuses before any view (a body over the size limit, a
    malformed upload): JSON with a code on the API, our page elsewhere (not viewflow's)."""
    if request.path.startswith("/api/"):
        detail = _("The request cannot be read (too large or malformed).")
        return JsonResponse({"code": "bad_request", "detail": detail}, status=400)
    return render(request, "400.html", status=400)
