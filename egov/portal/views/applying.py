"""Applying: create a draft, fill the e-form (autosaved), upload papers, check, submit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.accounts.consent import consent_text
from egov.accounts.models import User
from egov.catalog import eform
from egov.catalog.eform_page import field_rows, posted_values
from egov.common.errors import DomainError, InvalidInput
from egov.dossiers import applicants, selectors, services
from egov.dossiers.models import Dossier
from egov.dossiers.services.applying import condition_channel, form_problems, missing_documents


def own_dossier(request, pk):
    """The user's own dossier (as applicant or filer); anything else is a 404."""
    try:
        dossier = selectors.get_dossier(request.user, pk)
    except DomainError:
        raise Http404()
    if not selectors.is_applicant_side(request.user, dossier):
        raise Http404()
    return dossier


def own_draft(request, pk):
    dossier = own_dossier(request, pk)
    if dossier.status != Dossier.Status.DRAFT:
        return None, redirect("portal:dossier", pk=dossier.pk)
    return dossier, None


@login_required
@require_POST
def apply(request, code):
    if request.user.kind != User.Kind.CITIZEN:
        messages.error(request, _("Staff file dossiers for applicants at the one-stop desk."))
        return redirect("portal:procedure", code=code)
    try:
        dossier = services.create_draft(request.user, code, applicant=applying_for(request.POST))
    except DomainError as exc:
        messages.error(request, " ".join(_messages(exc)))
        return redirect("portal:procedure", code=code)
    return redirect("portal:form", pk=dossier.pk)


def applying_for(post):
    """The procedure page's "Who is this for?" as create_draft's ``applicant`` (services/parties.py)."""
    choice = post.get("applying_for", "self")
    if choice == "foreigner":
        return {"type": "foreigner", "passport_number": post.get("passport_number", ""),
                "nationality": post.get("nationality", "")}  # fmt: skip
    if choice.startswith("organization:"):
        return {"type": "organization", "tax_code": choice.split(":", 1)[1]}
    if choice == "other":
        return {"type": "individual", "personal_id": post.get("personal_id", "").strip(),
                "full_name": post.get("full_name", "")}  # fmt: skip
    return None


def _form_page(request, dossier, values, errors, status=200):
    spec = dossier.spec
    return render(request, "portal/form.html", {
        "dossier": dossier, "spec": spec, "errors": errors, "step": "form",
        "rows": field_rows(spec, values, errors, applicant=applicants.condition_context(dossier),
                           channel=condition_channel(dossier.channel)),
    }, status=status)  # fmt: skip


@login_required
def form(request, pk):
    dossier, moved = own_draft(request, pk)
    if moved:
        return moved
    if request.method != "POST":
        return _form_page(request, dossier, dossier.data, {})
    values = posted_values(dossier.spec.fields, request.POST)
    autosave = request.headers.get("X-Autosave") == "1"
    try:
        dossier = services.update_draft(request.user, dossier, values)
    except InvalidInput as exc:
        if autosave:
            # Keep what is valid: save field by field so one mistake does not lose the rest.
            good = {key: value for key, value in values.items() if f"data.{key}" not in exc.errors}
            try:
                services.update_draft(request.user, dossier, good)
            except InvalidInput:
                pass
            return JsonResponse({"saved": False, "errors": exc.errors}, status=200)
        return _form_page(request, dossier, {**dossier.data, **{k: v for k, v in values.items() if v is not None}},
                          exc.errors, status=400)  # fmt: skip
    if autosave:
        return JsonResponse({"saved": True, "at": timezone.localtime().strftime("%H:%M")})
    if "continue" in request.POST:
        # Saved either way; before moving on, say what submission would refuse.
        problems = form_problems(dossier)
        if problems:
            return _form_page(request, dossier, dossier.data, problems, status=400)
        return redirect("portal:papers", pk=dossier.pk)
    messages.success(request, _("Your draft was saved. You can come back to it from “My dossiers”."))
    return redirect("portal:form", pk=dossier.pk)


@login_required
@require_POST
def form_state(request, pk):
    """Which questions show and which are required for the answers on the page, decided by
    the server's own evaluation of the rules (egov/catalog/eform.py): the page asks here on
    every change, so the browser never judges a rule differently (an empty number, "" against
    0, a missing key) from the submission that follows."""
    dossier, moved = own_draft(request, pk)
    if moved:
        return JsonResponse({}, status=409)
    spec = dossier.spec
    applicant, channel = applicants.condition_context(dossier), condition_channel(dossier.channel)
    # Answers that are not valid yet (letters in a number) count as unanswered, as on save.
    valid, _invalid = eform.clean(spec, posted_values(spec.fields, request.POST), applicant, channel, partial=True)
    states = eform.field_states(spec, valid, applicant, channel)
    return JsonResponse({key: {"visible": shown, "required": needed} for key, (shown, needed) in states.items()})


def paper_rows(dossier):
    spec = dossier.spec
    required = set(eform.required_documents(spec, dossier.data, applicants.condition_context(dossier),
                                            condition_channel(dossier.channel)))  # fmt: skip
    by_key = {}
    for item in selectors.current_attachments(dossier):
        by_key.setdefault(item.document_key, []).append(item)
    return [
        {"key": d.key, "name": d.name(), "kind": d.kind, "required": d.key in required, "files": by_key.get(d.key, []),
         "accept": ",".join("." + t for t in d.file_types), "types": ", ".join(d.file_types), "max_mb": d.max_mb,
         "max_bytes": d.max_bytes}
        for d in spec.documents
    ]  # fmt: skip


@login_required
def papers(request, pk):
    dossier, moved = own_draft(request, pk)
    if moved:
        return moved
    errors, status = {}, 200
    if request.method == "POST":
        try:
            if request.POST.get("remove"):
                services.remove_attachment(request.user, dossier, request.POST["remove"])
                messages.success(request, _("The file was removed."))
            else:
                services.add_attachment(request.user, dossier, request.POST.get("document"), request.FILES.get("file"))
                messages.success(request, _("The file was uploaded."))
            return redirect("portal:papers", pk=dossier.pk)
        except DomainError as exc:
            errors = {"document": request.POST.get("document"), "messages": _messages(exc)}
            status = exc.status
    return render(request, "portal/papers.html", {
        "dossier": dossier, "papers": paper_rows(dossier), "upload_errors": errors, "step": "papers",
    }, status=status)  # fmt: skip


def _messages(exc):
    found = [str(m) for messages_ in exc.errors.values() for m in messages_] if exc.errors else []
    return found or [str(exc.message)]


@login_required
def review(request, pk):
    dossier, moved = own_draft(request, pk)
    if moved:
        return moved
    spec = dossier.spec
    problems, status, changes, new_version = [], 200, [], ""
    by_citizen = request.user.kind != User.Kind.STAFF  # at the desk the applicant signs the paper form
    if request.method == "POST" and by_citizen and not request.POST.get("consent"):
        problems, status = [_("Tick the box to agree to the processing of your personal data.")], 400
    elif request.method == "POST":
        try:
            if request.POST.get("accept_version"):
                dossier = services.adopt_rules_in_force(request.user, dossier, request.POST["accept_version"])
            dossier = services.submit(request.user, dossier, consent=by_citizen)
            if request.user.kind == User.Kind.STAFF:  # filed at the desk: back to the workspace to accept it
                messages.success(request, _("Submitted with code %(code)s.") % {"code": dossier.code})
                return redirect("backoffice:dossier", pk=dossier.pk)
            request.session["just_submitted"] = str(dossier.pk)
            return redirect("portal:dossier", pk=dossier.pk)
        except DomainError as exc:
            if exc.code == "version_changed":  # shown with what changed, and a button to confirm
                problems, status = [str(exc.message)], exc.status
                changes, new_version = exc.errors["version"], exc.errors["accept_version"][0]
            else:
                problems, status = _messages(exc), exc.status
    context = eform.context_for(dossier.data, applicants.condition_context(dossier), condition_channel(dossier.channel))
    return render(request, "portal/review.html", {
        "dossier": dossier, "rows": [r for r in field_rows(spec, dossier.data) if r["visible"]],
        "papers": paper_rows(dossier), "missing": missing_documents(dossier), "problems": problems,
        "fee": spec.fee_total(context), "step": "review",
        "consent_text": consent_text("application") if by_citizen else "",
        "changes": changes, "new_version": new_version,
    }, status=status)  # fmt: skip
