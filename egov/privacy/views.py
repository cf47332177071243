"""The person's own page about their data: download a copy, ask for erasure."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .services import export, plan, request_erasure
from .stores import all_stores


@login_required
def my_data(request):
    """Download everything held about me; ask for erasure."""
    if request.method == "POST" and request.POST.get("action") == "download":
        return FileResponse(export(request.user), as_attachment=True, filename="my-data.zip",
                            content_type="application/zip")  # fmt: skip
    if request.method == "POST" and request.POST.get("action") == "erase":
        erasure = request_erasure(request.user, request.POST.get("reason", ""))
        messages.success(request, _("Your request was recorded; you will have an answer by %(due)s.")
                         % {"due": erasure.due_at.astimezone().strftime("%d/%m/%Y")})  # fmt: skip
        return redirect("privacy:my-data")
    return render(request, "accounts/my_data.html", {
        "open_request": request.user.erasure_requests.filter(status="open").first(),
        "consents": request.user.consents.all(),
        "plan": plan(request.user),
        "stores": [store for store in all_stores() if store.on_erasure],
    })  # fmt: skip
