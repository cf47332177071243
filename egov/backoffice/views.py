"""The civil servants' workspace (placeholder replaced by the workspace pages)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect


@login_required
def queue(request):
    return redirect("admin:index")
