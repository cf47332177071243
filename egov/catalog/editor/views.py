"""The editor's pages inside the admin: edit a draft, preview the citizen form, publish, copy."""

import re

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.selectors import is_procedure_admin
from egov.common.errors import DomainError

from .. import services
from ..format import DefinitionError
from ..models import Procedure, ProcedureVersion
from .forms import PARTS, PATH_PARTS, GeneralForm, build_definition, initial_data

PATH = re.compile(r"^(?P<part>[a-z_]+)(\[(?P<index>\d+)\])?")


def _check(request):
    if not is_procedure_admin(request.user):
        raise PermissionDenied()


def _bind(request, version):
    general_initial, parts_initial = initial_data(version.definition)
    data = request.POST if request.method == "POST" else None
    general = GeneralForm(data, initial=general_initial, prefix="general")
    parts = {name: formset(data, initial=parts_initial[name], prefix=name) for name, formset in PARTS.items()}
    return general, parts


def _place_errors(errors, general, parts):
    """Put each "path: message" of the format's validator next to the row it is about."""
    leftover = []
    for error in errors:
        path, _sep, message = error.partition(": ")
        match = PATH.match(path)
        part = PATH_PARTS.get(match.group("part")) if match else None
        index = match.group("index") if match else None
        if part and index is not None and int(index) < len(parts[part].forms):
            ordered = [f for f in parts[part].forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            ordered.sort(key=lambda f: (f.cleaned_data.get("ORDER") is None, f.cleaned_data.get("ORDER") or 0))
            if int(index) < len(ordered):
                ordered[int(index)].add_error(None, f"{path}: {message}")
                continue
        leftover.append(error)
    return leftover


def edit(request, pk):
    _check(request)
    version = get_object_or_404(ProcedureVersion.objects.select_related("procedure"), pk=pk)
    if not version.is_draft and request.method == "POST":
        messages.error(request, _("A published version never changes; copy it into a new draft."))
        return redirect("admin:catalog-edit", pk=version.pk)
    general, parts = _bind(request, version)
    problems = []
    if request.method == "POST" and version.is_draft:
        if general.is_valid() and all(p.is_valid() for p in parts.values()):
            definition = build_definition(version.procedure.code, general, parts, version.definition)
            try:
                services.update_draft(version, definition, actor=request.user)
            except DefinitionError as exc:
                problems = _place_errors(exc.errors, general, parts)
                messages.error(request, _("Not saved: the definition has problems (see below)."))
            except DomainError as exc:
                problems = [str(exc.message)]
            else:
                if "validate" in request.POST:
                    messages.success(request, _("Saved; the definition is valid."))
                else:
                    messages.success(request, _("Draft saved."))
                return redirect("admin:catalog-edit", pk=version.pk)
        else:
            messages.error(request, _("Not saved: correct the marked fields."))
    return render(request, "admin/catalog/editor.html", {
        "version": version, "general": general, "parts": parts, "problems": problems,
        "read_only": not version.is_draft, "title": _("Edit %(name)s v%(n)d") % {"name": version.name,
                                                                                  "n": version.number},
    }, status=400 if problems or (request.method == "POST" and version.is_draft) else 200)  # fmt: skip


def preview(request, pk):
    """The e-form as the citizen will see it (read-only)."""
    _check(request)
    version = get_object_or_404(ProcedureVersion, pk=pk)
    from egov.portal.eform_view import field_rows

    spec = version.spec
    return render(request, "admin/catalog/preview.html", {
        "version": version, "rows": field_rows(spec, {}), "documents": spec.documents,
        "title": _("Preview: %(name)s") % {"name": version.name},
    })  # fmt: skip


@require_POST
def publish(request, pk):
    _check(request)
    version = get_object_or_404(ProcedureVersion, pk=pk)
    try:
        services.publish_version(version, actor=request.user)
        messages.success(request, _("Published."))
    except (DomainError, DefinitionError) as exc:
        messages.error(request, "; ".join(getattr(exc, "errors", None) or [str(getattr(exc, "message", exc))]))
    return redirect("admin:catalog-edit", pk=version.pk)


@require_POST
def copy(request, pk):
    _check(request)
    version = get_object_or_404(ProcedureVersion, pk=pk)
    draft = services.copy_to_draft(version, actor=request.user)
    messages.success(request, _("Version %(n)d created as a draft.") % {"n": draft.number})
    return redirect("admin:catalog-edit", pk=draft.pk)


def create(request):
    """A new procedure from a minimal valid starter definition, then the editor."""
    _check(request)
    from django import forms

    class NewProcedure(forms.Form):
        code = forms.RegexField(label=_("Procedure code"), regex=r"^\d\.\d{6}(\.[0-9A-Za-z.]+)?$")
        name = forms.CharField(label=_("Name"), max_length=500)
        sector_code = forms.CharField(label=_("Sector code"), max_length=40)
        sector_name = forms.CharField(label=_("Sector name"), max_length=250)
        level = forms.ChoiceField(label=_("Level"), choices=[("commune", _("Commune")), ("province", _("Province"))])

    form = NewProcedure(request.POST or None)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        if Procedure.objects.filter(code=c["code"]).exists():
            form.add_error("code", _("A procedure with this code exists."))
        else:
            result = services.import_definition(starter(c), actor=request.user)
            return redirect("admin:catalog-edit", pk=result.version.pk)
    return render(request, "admin/catalog/create.html", {"form": form, "title": _("New procedure")},
                  status=400 if form.errors else 200)  # fmt: skip


def starter(c):
    field = "commune" if c["level"] == "commune" else None
    deciding = {"level": "commune", "from_field": "commune"} if field else {"code": _first_province_unit()}
    form = [{"key": "applicant_name", "type": "text", "label": "Họ và tên", "required": True,
             "prefill": "applicant.full_name"}]  # fmt: skip
    if field:
        form.append({"key": "commune", "type": "agency", "level": "commune", "label": "Xã, phường", "required": True})
    return {
        "format": 1, "code": c["code"], "name": c["name"],
        "sector": {"code": c["sector_code"], "name": c["sector_name"]}, "level": c["level"],
        "online_level": "full", "applicant_types": ["individual"], "channels": ["online", "in_person"],
        "agencies": {"deciding": deciding}, "time_limit": {"working_days": 5},
        "documents": [{"key": "application", "name": "Đơn đề nghị", "kind": "original"}],
        "form": form,
        "steps": [{"key": "appraise", "name": "Thẩm định", "role": "case_officer", "at": "deciding",
                   "budget_hours": 24, "outcomes": ["forward", "supplement", "propose_refusal"]},
                  {"key": "approve", "name": "Phê duyệt", "role": "approver", "at": "deciding", "budget_hours": 8,
                   "outcomes": ["approve", "send_back", "reject"]}],
        "result": {"name": "Kết quả", "template": "generic-result", "electronic": True},
    }  # fmt: skip


def _first_province_unit():
    from egov.agencies.models import Agency

    unit = Agency.objects.filter(level="department", active=True).order_by("code").first()
    if unit is None:
        raise Http404()
    return unit.code
