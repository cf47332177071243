"""The editor's pages inside the admin: create a procedure, edit a draft, validate, preview the
citizen form, publish, copy a published version into a new draft.

Every page is for procedure administrators (superusers or holders of the ``procedure_admin``
role). Writes go through :mod:`egov.catalog.services`; a published or retired version is
shown read-only and a POST to it changes nothing.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from egov.accounts.selectors import is_procedure_admin
from egov.agencies.models import Agency
from egov.catalog.eform_page import field_rows
from egov.common.errors import DomainError
from egov.common.text import localize

from .. import selectors, services
from ..compare import compare_versions
from ..definition import summarise_time_limit
from ..diagram import bpmn_of, svg_of
from ..format import DefinitionError, load_text, to_yaml
from ..models import Procedure, ProcedureVersion, Sector
from ..rule_text import builder_subjects, phrases
from .forms import (
    HEADINGS,
    LEVELS,
    PARTS,
    READ_ONLY_PARTS,
    GeneralForm,
    build_definition,
    initial_data,
    place_errors,
    posted_fields,
    text_map,
)

GENERAL_GROUPS = [
    (gettext_lazy("General"), ["name_vi", "name_en", "description_vi", "description_en", "sector_code",
                               "sector_name_vi", "sector_name_en", "level", "online_level", "applicant_types",
                               "channels", "effective_from", "conditions", "conditions_en"]),
    (gettext_lazy("Agencies"), ["deciding_code", "deciding_level", "deciding_field", "receiving"]),
    (gettext_lazy("Result and payment"), ["result_name_vi", "result_name_en", "result_template", "result_electronic",
                                          "payment"]),
]  # fmt: skip


def _page(request, template, context, status=200):
    """An admin page with the admin's own context (site header, user links); without the
    navigation sidebar, which would leave the editor's rows too narrow."""
    context = {**admin.site.each_context(request), "is_nav_sidebar_enabled": False, **context}
    return render(request, template, context, status=status)


def _check(request):
    if not is_procedure_admin(request.user):
        raise PermissionDenied()


def _version(pk):
    return get_object_or_404(
        ProcedureVersion.objects.select_related("procedure", "sector", "approval_requested_by"), pk=pk
    )


def _forms(version, data=None):
    """The general form and the formsets for ``version``; disabled when it is not a draft."""
    read_only = not version.is_draft
    general_initial, parts_initial = initial_data(version.definition)
    general = GeneralForm(None if read_only else data, initial=general_initial, prefix="general")
    classes = READ_ONLY_PARTS if read_only else PARTS
    parts = {name: formset(None if read_only else data, initial=parts_initial[name], prefix=name)
             for name, formset in classes.items()}  # fmt: skip
    templates = services.known_result_templates()
    if templates is not None:  # a list to choose from, keeping the current value even if unknown
        current = version.definition["result"]["template"]
        general.fields["result_template"].widget = forms.Select(choices=[(t, t) for t in sorted({*templates, current})])
    if read_only:
        for form in [general, *(f for formset in parts.values() for f in formset.forms)]:
            for field in form.fields.values():
                field.disabled = True
    return general, parts


def _rule_context(version, parts):
    """What the conditions need on the page: the fields they can name (for the sentences and,
    as JSON, for the rule builder), the builder's phrases, and the agencies to pick from."""
    posted = posted_fields(parts)
    if posted is None:  # the stored version's fields (also when the posted rows have errors)
        definition = version.definition
        form = definition["form"]
        step_forms = {step["key"]: step["form"] for step in definition["steps"] if step.get("form")}
    else:
        form, step_forms = posted
    context = {"rule_labels": [*form, *(f for fields in step_forms.values() for f in fields)]}
    if version.is_draft:  # a read-only version has no builder and no pickers
        context.update(
            rule_fields=builder_subjects(form, step_forms), rule_words=phrases(),
            agencies=[(a.code, a.display_name) for a in Agency.objects.filter(active=True).order_by("code")],
        )  # fmt: skip
    return context


def _render_editor(request, version, general, parts, status=200, by_part=None, problems=()):
    by_part = by_part or {}
    sections = [{"name": name, "heading": HEADINGS[name], "formset": formset, "problems": by_part.get(name, [])}
                for name, formset in parts.items()]  # fmt: skip
    groups = [(title, [general[name] for name in names]) for title, names in GENERAL_GROUPS]
    return _page(request, "admin/catalog/editor.html", {
        **_rule_context(version, parts),
        "version": version, "general": general, "general_groups": groups, "sections": sections,
        "problems": problems, "read_only": not version.is_draft, "state": version.state_label(),
        "versions": version.procedure.versions.order_by("-number"), "path": svg_of(version),
        "title": (_("Edit the draft: %(name)s, version %(n)d") if version.is_draft
                  else _("%(name)s, version %(n)d (read-only)")) % {"name": version.display_name, "n": version.number},
        "opts": ProcedureVersion._meta, "has_view_permission": True,
    }, status=status)  # fmt: skip


def edit(request, pk):
    """The structured editor: Save draft (validates, saves only when valid) or Validate (checks
    without saving)."""
    _check(request)
    version = _version(pk)
    if request.method == "POST" and not version.is_draft:
        messages.error(request, _("A published version never changes; copy it into a new draft. Nothing was saved."))
        general, parts = _forms(version)
        return _render_editor(request, version, general, parts, status=409)
    general, parts = _forms(version, request.POST if request.method == "POST" else None)
    if request.method != "POST":
        return _render_editor(request, version, general, parts)
    by_part, problems = {}, []
    if not (general.is_valid() and all(formset.is_valid() for formset in parts.values())):
        messages.error(request, _("Nothing was saved: correct the marked fields."))
        return _render_editor(request, version, general, parts, status=400)
    definition, where = build_definition(version.procedure.code, general, parts)
    if any(form.errors for form in parts["step_fields"].forms):
        messages.error(request, _("Nothing was saved: correct the marked fields."))
        return _render_editor(request, version, general, parts, status=400)
    validating = "validate" in request.POST
    try:
        if validating:
            services.check_definition(definition)
        else:
            services.update_draft(version, definition, actor=request.user)
    except DefinitionError as exc:
        by_part, problems = place_errors(exc.errors, general, where)
        messages.error(request, _("The definition has %(n)d problem(s), marked below. Nothing was saved.")
                       % {"n": len(exc.errors)})  # fmt: skip
        return _render_editor(request, version, general, parts, status=400, by_part=by_part, problems=problems)
    except DomainError as exc:
        problems = [str(exc.message), *(f"{k}: {m}" for k, ms in exc.errors.items() for m in ms)]
        messages.error(request, _("Nothing was saved."))
        return _render_editor(request, version, general, parts, status=400, problems=problems)
    if validating:
        messages.success(request, _("The definition is valid. Remember to save the draft to keep your changes."))
        return _render_editor(request, version, general, parts)
    messages.success(request, _("Draft saved; the definition is valid."))
    return redirect("admin:catalog-edit", pk=version.pk)


def preview(request, pk):
    """The e-form as the citizen will see it (read-only), with the documents, fees and time limit."""
    _check(request)
    version = _version(pk)
    language = request.GET.get("lang") if request.GET.get("lang") in ("vi", "en") else None
    spec = version.spec
    with translation.override(language or translation.get_language()):
        rows = field_rows(spec, {})
        documents = [{"name": d.name(), "kind": d.kind, "quantity": d.quantity,
                      "required": d.required, "file_types": ", ".join(d.file_types), "max_mb": d.max_mb,
                      "template": d.template} for d in spec.documents]  # fmt: skip
        fees = [{"name": localize(fee["name"]), "amount": fee["amount"], "conditional": "when" in fee}
                for fee in spec.fees]  # fmt: skip
        limits = [{"text": summarise_time_limit(case), "conditional": "when" in case}
                  for case in spec.time_limit_cases]  # fmt: skip
        name, description, conditions = spec.name(), spec.description(), spec.conditions_text()
        result_name = spec.result_name()
    for row in rows:  # what the rules say before any answer: always, never, or on a condition
        field = spec.field(row["key"])
        row["is_required"] = field.required is True
        row["is_conditional"] = not isinstance(field.required, bool)
        row["is_conditionally_shown"] = field.visible not in (None, True)
    kinds = {"original": _("original"), "certified_copy": _("certified copy"), "copy": _("copy")}
    for doc in documents:
        doc["kind"] = kinds.get(doc["kind"], doc["kind"])
    return _page(request, "admin/catalog/preview.html", {
        "version": version, "rows": rows, "documents": documents, "fees": fees, "limits": limits,
        "name": name, "description": description, "conditions": conditions, "result_name": result_name,
        "language": language, "title": _("Preview of the citizen form: %(name)s") % {"name": version.display_name},
        "opts": ProcedureVersion._meta,
    })  # fmt: skip


class PublishForm(forms.Form):
    effective_from = forms.DateField(
        label=gettext_lazy("In force from"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy("Empty: from now. The version in force now stays in force until that day."),
    )  # fmt: skip

    def clean_effective_from(self):
        day = self.cleaned_data["effective_from"]
        if day and day < timezone.localdate():
            raise forms.ValidationError(_("A version is never in force retroactively: choose today or later."))
        return day


def publish(request, pk):
    """Publish a draft, from now or from a later day (asked on a confirmation page). With
    EGOV_PUBLISH_NEEDS_APPROVAL one administrator asks and another approves."""
    _check(request)
    version = _version(pk)
    if not version.is_draft:
        messages.error(request, _("Only a draft can be published."))
        if request.method == "POST":
            general, parts = _forms(version)
            return _render_editor(request, version, general, parts, status=409)
        return redirect("admin:catalog-edit", pk=version.pk)
    if services.approval_needed() and request.method == "POST" and "ask" not in request.POST:
        return _answer_request(request, version)
    problems = []
    form = PublishForm(request.POST if request.method == "POST" else None,
                       initial={"effective_from": version.definition.get("effective_from")})
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                _set_effective_from(version, form, request)
                if services.approval_needed():
                    services.request_approval(version, request.user)
                else:
                    version = services.publish_version(version, actor=request.user)
        except DefinitionError as exc:
            problems = exc.errors
        except DomainError as exc:
            problems = [str(exc.message)]
        else:
            if version.is_draft:
                messages.success(request, _("Approval asked: another administrator publishes version %(n)d.")
                                 % {"n": version.number})  # fmt: skip
            else:
                _say_published(request, version)
            return redirect("admin:catalog-edit", pk=version.pk)
    elif request.method == "GET":
        try:
            services.check_definition(version.definition)
        except DefinitionError as exc:
            problems = exc.errors
    return _page(request, "admin/catalog/publish.html", {
        "version": version, "form": form, "problems": problems,
        "current": selectors.version_in_force(version.procedure.code),
        "approval": services.approval_needed(),
        "asked_by_me": version.approval_requested_by_id == request.user.pk,
        "title": _("Publish %(name)s, version %(n)d") % {"name": version.display_name, "n": version.number},
        "opts": ProcedureVersion._meta,
    }, status=400 if request.method == "POST" else 200)  # fmt: skip


def _set_effective_from(version, form, request):
    """The day the version comes into force, as chosen on the page, kept in the draft."""
    if "effective_from" not in request.POST:
        return
    day = form.cleaned_data["effective_from"]
    definition = dict(version.definition)
    if day:
        definition["effective_from"] = day.isoformat()
    else:
        definition.pop("effective_from", None)
    if definition != version.definition:
        services.update_draft(version, definition, actor=request.user)


def _say_published(request, version):
    when = timezone.localtime(version.effective_from).strftime("%Y-%m-%d %H:%M")
    messages.success(request, _("Version %(n)d is published, in force from %(when)s.") % {"n": version.number,
                                                                                            "when": when})  # fmt: skip


def _answer_request(request, version):
    """Approve and publish a draft another administrator asked to publish, or decline (or
    take back one's own request)."""
    try:
        if "approve" in request.POST:
            _say_published(request, services.publish_version(version, actor=request.user))
        elif "decline" in request.POST:
            services.decline_approval(version, request.user)
            messages.success(request, _("The request to publish version %(n)d is withdrawn.") % {"n": version.number})
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("admin:catalog-publish", pk=version.pk)
    return redirect("admin:catalog-edit", pk=version.pk)


def export_bpmn(request, pk):
    """The version's path as BPMN 2.0 XML, for a modeller (drafts too, for administrators)."""
    _check(request)
    version = _version(pk)
    response = HttpResponse(bpmn_of(version), content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{version.procedure.code}-v{version.number}.bpmn"'
    return response


def compare(request, pk):
    """Two versions of a procedure side by side, field by field (``?with=`` another version;
    the one before by default)."""
    _check(request)
    version = _version(pk)
    others = version.procedure.versions.exclude(pk=version.pk).order_by("-number")
    chosen = request.GET.get("with")
    other = (others.filter(pk=chosen).first() if chosen and chosen.isdigit() else None) or \
        others.filter(number__lt=version.number).first() or others.first()  # fmt: skip
    older, newer = sorted([other, version], key=lambda v: v.number) if other else (None, version)
    return _page(request, "admin/catalog/compare.html", {
        "version": version, "other": other, "others": others, "older": older, "newer": newer,
        "parts": compare_versions(older.spec, newer.spec) if other else [],
    })  # fmt: skip


@require_POST
def copy(request, pk):
    """A new draft from a published (or retired) version."""
    _check(request)
    version = _version(pk)
    if version.is_draft:
        messages.error(request, _("This version is a draft already: edit it."))
        return redirect("admin:catalog-edit", pk=version.pk)
    draft = services.copy_to_draft(version, actor=request.user)
    messages.success(request, _("Version %(n)d created as a draft from version %(from)d.")
                     % {"n": draft.number, "from": version.number})  # fmt: skip
    return redirect("admin:catalog-edit", pk=draft.pk)


def retire(request, pk):
    """Withdraw a published version: no new dossiers under it; those received finish under it."""
    _check(request)
    version = _version(pk)
    if version.status != ProcedureVersion.Status.PUBLISHED:
        messages.error(request, _("Only a published version can be retired."))
        return redirect("admin:catalog-edit", pk=version.pk)
    if request.method == "POST":
        services.retire_version(version, actor=request.user)
        messages.success(request, _("Version %(n)d is retired: it takes no new dossiers.") % {"n": version.number})
        return redirect("admin:catalog-edit", pk=version.pk)
    return _confirm(request, version, _("Retire %(name)s, version %(n)d"), _("Retire"), [
        _("From now on this version takes no new dossiers. The dossiers already received under it finish under it."),
        _("If an earlier version is still within its dates, it is in force again; otherwise the procedure is "
          "closed to new dossiers until another version is published."),
    ])  # fmt: skip


def delete_draft(request, pk):
    """Throw a draft away (a procedure whose only version it was goes with it)."""
    _check(request)
    version = _version(pk)
    if not version.is_draft:
        messages.error(request, _("Only a draft can be deleted."))
        return redirect("admin:catalog-edit", pk=version.pk)
    if request.method == "POST":
        code, number = version.procedure.code, version.number
        try:
            services.delete_draft(version, actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("admin:catalog-edit", pk=version.pk)
        messages.success(request, _("The draft %(code)s version %(n)d is deleted.") % {"code": code, "n": number})
        return redirect("admin:catalog_procedure_changelist")
    return _confirm(request, version, _("Delete %(name)s, draft version %(n)d"), _("Delete the draft"), [
        _("The draft and everything written in it are deleted. Published versions are not touched."),
    ])  # fmt: skip


def _confirm(request, version, title, action, consequences):
    return _page(request, "admin/catalog/confirm.html", {
        "version": version, "action": action, "consequences": consequences, "opts": ProcedureVersion._meta,
        "title": title % {"name": version.display_name, "n": version.number},
    })  # fmt: skip


class NewProcedureForm(forms.Form):
    code = forms.RegexField(label=gettext_lazy("Procedure code"), regex=r"^[0-9]\.[0-9]{6}(\.[0-9A-Za-z]+)*$",
                            max_length=60, help_text=gettext_lazy("The national code, e.g. 1.001193 "
                                                                  "(optionally with a local suffix)."))  # fmt: skip
    name = forms.CharField(label=gettext_lazy("Name"), max_length=500)
    name_en = forms.CharField(label=gettext_lazy("Name (English)"), max_length=500, required=False)
    sector = forms.ModelChoiceField(label=gettext_lazy("Sector"), queryset=Sector.objects.all(), required=False,
                                    empty_label=gettext_lazy("— a new sector (below) —"))  # fmt: skip
    sector_code = forms.RegexField(label=gettext_lazy("New sector: code"), regex=r"^[0-9A-Za-z_.-]{1,40}$",
                                   required=False)  # fmt: skip
    sector_name = forms.CharField(label=gettext_lazy("New sector: name"), max_length=250, required=False)
    level = forms.ChoiceField(label=gettext_lazy("Level"), choices=LEVELS)
    deciding = forms.ModelChoiceField(
        label=gettext_lazy("Deciding agency"), required=False,
        queryset=Agency.objects.filter(active=True).exclude(level="commune").order_by("code"),
        help_text=gettext_lazy("For a commune-level procedure, leave empty: the applicant chooses the commune."),
    )  # fmt: skip

    def clean_code(self):
        code = self.cleaned_data["code"]
        if Procedure.objects.filter(code=code).exists():
            raise forms.ValidationError(_("A procedure with this code exists."))
        return code

    def clean(self):
        data = super().clean()
        if not data.get("sector") and not (data.get("sector_code") and data.get("sector_name")):
            self.add_error("sector", _("Choose a sector, or give the code and name of a new one."))
        if data.get("level") and data["level"] != "commune" and not data.get("deciding"):
            self.add_error("deciding", _("Choose the agency that decides."))
        return data


def create(request):
    """A new procedure from a minimal valid starter definition, then the editor on its draft."""
    _check(request)
    form = NewProcedureForm(request.POST if request.method == "POST" else None)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            result = services.import_definition(starter(form.cleaned_data), actor=request.user)
        except DefinitionError as exc:
            problems = exc.errors
        else:
            messages.success(request, _("Procedure %(code)s created with a draft version 1; complete it below.")
                             % {"code": result.version.procedure.code})  # fmt: skip
            return redirect("admin:catalog-edit", pk=result.version.pk)
    return _page(request, "admin/catalog/create.html", {
        "form": form, "problems": problems, "title": _("New procedure"), "opts": Procedure._meta,
    }, status=400 if request.method == "POST" else 200)  # fmt: skip


def import_file(request):
    """Upload a definition file (YAML or JSON): a new procedure or a new draft version of one,
    or the validation errors, each with its path in the definition."""
    _check(request)
    problems = []
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problems = [_("Choose a YAML or JSON file.")]
        elif upload.size > 2 * 1024 * 1024:
            problems = [_("The file is larger than 2 MB; a procedure definition is much smaller.")]
        else:
            try:
                text = upload.read().decode("utf-8")
                result = services.import_definition(load_text(text, name=upload.name), actor=request.user)
            except UnicodeDecodeError:
                problems = [_("The file is not UTF-8 text.")]
            except DefinitionError as exc:
                problems = exc.errors
            else:
                messages.success(request, _("%(code)s: %(what)s.") % {"code": result.version.procedure.code,
                                                                       "what": result.describe()})  # fmt: skip
                return redirect("admin:catalog-edit", pk=result.version.pk)
    return _page(request, "admin/catalog/import.html", {
        "problems": problems, "title": _("Import a procedure"), "opts": Procedure._meta,
    }, status=400 if problems else 200)  # fmt: skip


def export_file(request, pk):
    """A version's definition as the YAML file the import and the command line read."""
    _check(request)
    version = _version(pk)
    response = HttpResponse(to_yaml(version.definition), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{version.procedure.code}-v{version.number}.yaml"'
    return response


def starter(c):
    """A definition that passes the format's rules, to be completed in the editor: one form
    field (the applicant's name), one paper (the application), appraisal then approval."""
    commune = c["level"] == "commune" and not c.get("deciding")
    form = [{"key": "applicant_name", "type": "text", "label": {"vi": "Họ và tên", "en": "Full name"},
             "required": True, "prefill": "applicant.full_name", "max_length": 100}]
    if commune:
        form.append({"key": "commune", "type": "agency", "level": "commune", "required": True,
                     "label": {"vi": "Xã, phường giải quyết", "en": "Commune that decides"}})
        deciding = {"level": "commune", "from_field": "commune"}
    else:
        deciding = {"code": c["deciding"].code}
    if c.get("sector"):
        sector = {"code": c["sector"].code, "name": text_map(c["sector"].name, c["sector"].name_en)}
    else:
        sector = {"code": c["sector_code"], "name": c["sector_name"]}
    return {
        "format": 1, "code": c["code"], "name": text_map(c["name"], c.get("name_en", "")),
        "sector": sector, "level": c["level"], "online_level": "full", "applicant_types": ["individual"],
        "channels": ["online", "in_person"], "agencies": {"deciding": deciding},
        "time_limit": {"working_days": 5},
        "documents": [{"key": "application", "name": {"vi": "Đơn đề nghị", "en": "Application"}, "kind": "original",
                       "required": True}],
        "form": form,
        "steps": [
            {"key": "appraise", "name": {"vi": "Thẩm định hồ sơ", "en": "Appraise the dossier"},
             "role": "case_officer", "at": "deciding", "budget_hours": 24,
             "outcomes": ["forward", "supplement", "propose_refusal"]},
            {"key": "approve", "name": {"vi": "Phê duyệt", "en": "Approve"}, "role": "approver", "at": "deciding",
             "budget_hours": 8, "outcomes": ["approve", "send_back", "reject"]},
        ],
        "result": {"name": {"vi": "Kết quả giải quyết", "en": "Decision"}, "template": "generic-result",
                   "electronic": True},
    }  # fmt: skip
