"""The administrator's pages for moving open dossiers to a newer procedure version: the
plan to review (which dossiers, where they land, their clock, who cannot move and why),
applying it, and putting a move back (egov/dossiers/services/versions.py does the work)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from egov.accounts.selectors import is_procedure_admin
from egov.catalog.models import ProcedureVersion
from egov.common.errors import DomainError

from .models import VersionMove
from .services import versions


def _admin_only(request):
    if not is_procedure_admin(request.user):
        raise PermissionDenied


def plan(request, admin_site, version_id):
    """GET: the plan for moving the open dossiers of earlier versions to this one. POST: move
    the dossiers ticked in it."""
    _admin_only(request)
    target = get_object_or_404(ProcedureVersion.objects.select_related("procedure"), pk=version_id)
    clock = request.POST.get("clock") or request.GET.get("clock") or versions.KEEP
    if request.method == "POST":
        try:
            moved, refused = versions.move(request.user, target, request.POST.getlist("dossier"), clock)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("admin:dossiers-version-plan", version_id=target.pk)
        if moved:
            messages.success(request, ngettext("%(n)d dossier moved to version %(v)d.",
                                               "%(n)d dossiers moved to version %(v)d.", len(moved))
                             % {"n": len(moved), "v": target.number})  # fmt: skip
        for reasons in refused.values():
            messages.warning(request, _("A dossier was left alone: %(reason)s") % {"reason": " ".join(reasons)})
        if not moved and not refused:
            messages.warning(request, _("Tick the dossiers to move."))
        return redirect("admin:dossiers-version-plan", version_id=target.pk)
    try:
        landings = versions.plan(target, clock)
    except DomainError as exc:
        messages.error(request, exc.message)
        landings = []
    context = {
        **admin_site.each_context(request), "title": _("Move open dossiers to version %(n)d") % {"n": target.number},
        "target": target, "clock": clock, "movable": [x for x in landings if x.movable],
        "unmovable": [x for x in landings if not x.movable],
        "moves": VersionMove.objects.filter(to_version=target).select_related("dossier", "moved_by", "reverted_by"),
    }  # fmt: skip
    return TemplateResponse(request, "admin/dossiers/version_plan.html", context)


@require_POST
def revert(request, admin_site, move_id):
    _admin_only(request)
    try:
        record = versions.revert(request.user, move_id)
    except VersionMove.DoesNotExist:
        raise Http404()
    except DomainError as exc:
        messages.error(request, exc.message)
        record = VersionMove.objects.get(pk=move_id)
    else:
        messages.success(request, _("Dossier %(code)s is back under version %(n)d.")
                         % {"code": record.dossier.code, "n": record.before["number"]})  # fmt: skip
    return redirect("admin:dossiers-version-plan", version_id=record.to_version_id)
