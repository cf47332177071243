from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect


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
