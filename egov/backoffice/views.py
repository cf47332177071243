"""The civil servants' workspace: queues, the dossier page with the actions of its step, the desk.

Views are thin: they read through the selectors and act through the dossier services, which
check who may do what (a dossier or task outside the officer's agencies is a 404).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries import countries

from egov.accounts import organizations
from egov.accounts.models import User
from egov.accounts.selectors import agencies_where, officers_with_role, role_pairs
from egov.catalog import selectors as catalog
from egov.catalog.diagram import svg_of
from egov.catalog.eform_page import field_rows, posted_values
from egov.common.errors import DomainError
from egov.common.paging import page_of
from egov.common.vocabulary import ApplicantType, Role
from egov.documents.models import Document
from egov.dossiers import applicants, selectors, services
from egov.dossiers.services.handling import RETURN_METHODS, allowed_outcomes
from egov.dossiers.timeline import timeline
from workflows.models import DossierTask

from . import selectors as queues


def staff_only(view):
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not (user.kind == User.Kind.STAFF or user.is_staff):
            raise PermissionDenied()
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return login_required(wrapped)


def _messages_of(exc):
    found = [str(m) for group in (exc.errors or {}).values() for m in group]
    return " ".join(found) or str(exc.message)


@staff_only
def queue(request):
    params = request.GET
    is_manager = bool(agencies_where(request.user, Role.CENTER_MANAGER))
    handles_tasks = any(role != Role.CENTER_MANAGER for role, _agency in role_pairs(request.user))
    scope = params.get("scope") or ("queue" if handles_tasks or not is_manager else "unit")
    tasks = queues.queue(
        request.user,
        scope,
        params.get("procedure", ""),
        params.get("step", ""),
        params.get("state", ""),
        params.get("q", "").strip()[:60],
        params.get("sort", "created"),
    )
    page = page_of(tasks, 25, params.get("page"))
    now = timezone.now()
    rows = [{"task": t, "colour": queues.colour(t, now),
             "budget_left": (t.due_at - now) if t.due_at else None} for t in page.object_list]  # fmt: skip
    return render(request, "backoffice/queue.html", {
        "page": page, "rows": rows, "scope": scope, "is_manager": is_manager, "params": params,
        "procedures": catalog.catalogue().values_list("procedure__code", "name"),
    })  # fmt: skip


@staff_only
@require_POST
def claim_many(request):
    claimed = 0
    for task_id in request.POST.getlist("task")[:100]:
        try:
            services.claim(request.user, task_id)
            claimed += 1
        except DomainError:
            continue
    messages.success(request, _("%(n)d tasks taken.") % {"n": claimed})
    return redirect(_back(request))


@staff_only
@require_POST
def task_action(request, task_id):
    action = request.POST.get("action")
    try:
        if action == "claim":
            services.claim(request.user, task_id)
        elif action == "release":
            services.release(request.user, task_id)
        elif action == "reassign":
            services.reassign(request.user, task_id, request.POST.get("user", ""))
        else:
            raise Http404()
        messages.success(request, _("Done."))
    except DomainError as exc:
        messages.error(request, _messages_of(exc))
    return redirect(_back(request))


def _back(request):
    """Where a form came from (``next``), if it is a page of this site; else the queue."""
    target = request.POST.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "backoffice:queue"


def _task_forms(request, dossier, tasks):
    """For each open task the officer may act on: what the action form needs."""
    spec = dossier.spec
    forms = []
    pairs = role_pairs(request.user)
    for task in tasks:
        if (task.role, task.agency_id) not in pairs:
            continue
        step = spec.steps[task.step_index] if task.step_index is not None and task.step_index >= 0 else None
        forms.append({
            "task": task, "outcomes": allowed_outcomes(task),
            "step_name": task.step_name,
            "fields": field_rows(spec, {}, fields=step.form) if step and step.form else [],
            "documents": [(d.key, d.name()) for d in spec.documents],
            "form_fields": [(f.key, f.label()) for f in spec.input_fields],
            "return_methods": RETURN_METHODS,
        })  # fmt: skip
    return forms


@staff_only
def dossier(request, pk):
    try:
        item = selectors.get_dossier(request.user, pk)
    except DomainError:
        raise Http404()
    if item.status == "draft" and item.created_by_id == request.user.pk:
        return redirect("portal:form", pk=item.pk)
    tasks = selectors.open_tasks(item)
    for task in tasks:  # their steps' names are read from the dossier's procedure
        task.dossier = item
    managed = agencies_where(request.user, Role.CENTER_MANAGER)
    reassignable = {t.pk: officers_with_role(t.role, t.agency_id) for t in tasks if t.agency_id in managed}
    receipt = item.documents.filter(kind="receipt", status=Document.Status.READY).order_by("-created_at").first()
    return render(request, "backoffice/dossier.html", {
        "dossier": item, "applicant": applicants.of_record(item), "tasks": tasks,
        "actions": _task_forms(request, item, tasks), "reassignable": reassignable,
        "fields": [r for r in field_rows(item.spec, item.data) if r["visible"]], "history": timeline(item),
        "slip": selectors.control_slip(item), "documents": item.documents.order_by("created_at"),
        "attachments": item.attachments.order_by("document_key", "uploaded_at"), "pauses": item.clock_pauses.all(),
        "paper_names": {paper.key: paper.name() for paper in item.spec.documents},
        "supplement": selectors.open_supplement(item), "supplements": _supplements(item), "receipt": receipt,
        "can_apologise": _can_apologise(request.user, item, managed),
        "path": svg_of(item.version, current=selectors.position(item, tasks)),
    })  # fmt: skip


def _supplements(item):
    """Every request to supplement, with what it asked for (by name) and the applicant's answer
    and note: the officer reads what came back and what the applicant wrote."""
    spec = item.spec
    rows = []
    for request in item.supplement_requests.select_related("requested_by").order_by("requested_at"):
        documents = [spec.document(key) for key in request.documents]
        fields = [spec.field(key) for key in request.fields]
        rows.append({
            "request": request,
            "documents": [d.name() if d else key for d, key in zip(documents, request.documents, strict=True)],
            "fields": [f.label() if f else key for f, key in zip(fields, request.fields, strict=True)],
        })  # fmt: skip
    return rows


def _can_apologise(user, item, managed):
    heads = (Role.APPROVER, item.deciding_agency_id) in role_pairs(user) or item.receiving_agency_id in managed
    return bool(item.accepted_at and not item.extended_due_at and item.is_open and heads)


@staff_only
@require_POST
def complete(request, task_id):
    try:  # a task the officer may not act on is not found, and says nothing of its dossier
        task = selectors.get_task(request.user, task_id)
    except DomainError:
        raise Http404()
    outcome = request.POST.get("outcome", "")
    data = {}
    if outcome == "supplement":
        data = {"documents": request.POST.getlist("documents"), "fields": request.POST.getlist("fields")}
    elif outcome == "returned":
        data = {"how": request.POST.get("how", "desk")}
    elif outcome == "paid":
        data = {"reference": request.POST.get("reference", "")}
    elif task.kind == DossierTask.Kind.STEP:
        step = task.dossier.spec.steps[task.step_index]
        data = {k: v for k, v in posted_values(step.form, request.POST).items() if v is not None}
    try:
        services.complete_task(request.user, task_id, outcome, data, request.POST.get("note", ""))
        messages.success(request, _("Recorded: the dossier moves on."))
    except DomainError as exc:
        messages.error(request, _messages_of(exc))
    return redirect("backoffice:dossier", pk=task.dossier_id)


@staff_only
@require_POST
def apologise(request, pk):
    try:
        item = selectors.get_dossier(request.user, pk)
        services.apologise(request.user, item, request.POST.get("new_due_at", ""), request.POST.get("reason", ""))
        messages.success(request, _("The apology with the new date was recorded; the letter is being made."))
    except DomainError as exc:
        messages.error(request, _messages_of(exc))
    return redirect("backoffice:dossier", pk=pk)


@staff_only
def desk(request):
    """The one-stop desk: whom the dossier is for, as on their papers, and who stands for them.

    The officer types what they read on the ID card or passport they hold, or the tax code
    of a registered organisation. A verified account with that number is the applicant if
    the name matches (else the desk stops and the mismatch is audited); a new applicant's
    account is opened with the number verified by this officer (egov/accounts/identity.py).
    When someone else stands for the applicant (a relative, a lawyer, a company's staff),
    that person is checked the same way and recorded as the representative; the procedure's
    rules then ask for the authorisation paper. No number travels in a URL.
    """
    if not agencies_where(request.user, Role.INTAKE_OFFICER):
        raise PermissionDenied()
    problems = []
    values = {key: request.POST.get(key, "").strip() for key in DESK_FIELDS}
    values["applicant_type"] = values["applicant_type"] or ApplicantType.INDIVIDUAL
    if request.method == "POST":
        try:
            dossier = services.create_draft(
                request.user, values["procedure"], channel=values["channel"] or "in_person",
                applicant=_desk_applicant(request.POST, values),
                representative=_desk_representative(request.POST, values),
            )  # fmt: skip
            return redirect("portal:form", pk=dossier.pk)
        except DomainError as exc:
            problems.append(_messages_of(exc))
    return render(request, "backoffice/desk.html", {
        "values": values, "problems": problems, "kinds": ApplicantType.choices, "countries": list(countries),
        "procedures": catalog.catalogue().values_list("procedure__code", "name"),
    }, status=400 if problems else 200)  # fmt: skip


DESK_FIELDS = ("applicant_type", "personal_id", "full_name", "passport_number", "nationality", "tax_code", "phone",
               "email", "address", "procedure", "channel", "rep_personal_id", "rep_full_name")  # fmt: skip


def _desk_applicant(post, values):
    kind = values["applicant_type"]
    if kind == ApplicantType.ORGANIZATION:
        return {"type": kind, "tax_code": values["tax_code"]}
    person = {key: values[key] for key in ("full_name", "phone", "email", "address")}
    if kind == ApplicantType.FOREIGNER:
        return {**person, "type": kind, "passport_number": values["passport_number"],
                "nationality": values["nationality"], "passport_seen": post.get("passport_seen") == "on"}  # fmt: skip
    return {**person, "type": kind, "personal_id": values["personal_id"],
            "id_card_seen": post.get("id_card_seen") == "on"}  # fmt: skip


def _desk_representative(post, values):
    """The person standing for the applicant, when the officer ticked that someone does."""
    if post.get("represented") != "on":
        return None
    return {"personal_id": values["rep_personal_id"], "full_name": values["rep_full_name"],
            "id_card_seen": post.get("rep_id_card_seen") == "on"}  # fmt: skip


@staff_only
def register_organization(request):
    """Register an organisation at the desk, from its business registration and its legal
    representative's ID card, both seen by the officer."""
    if not agencies_where(request.user, Role.INTAKE_OFFICER):
        raise PermissionDenied()
    fields = ("tax_code", "name", "address", "phone", "email", "rep_personal_id", "rep_full_name")
    values = {key: request.POST.get(key, "").strip() for key in fields}
    problems = []
    if request.method == "POST":
        try:
            organization = organizations.register_at_desk(
                request.user, registration_seen=request.POST.get("registration_seen") == "on",
                legal_representative={"personal_id": values["rep_personal_id"], "full_name": values["rep_full_name"],
                                      "id_card_seen": request.POST.get("rep_id_card_seen") == "on"},
                **{key: values[key] for key in ("tax_code", "name", "address", "phone", "email")},
            )  # fmt: skip
            messages.success(request, _("%(name)s is registered; its dossiers can be filed now.")
                             % {"name": organization.name})  # fmt: skip
            return redirect("backoffice:desk")
        except ValidationError as exc:
            problems.extend(exc.messages)
    return render(request, "backoffice/register_organization.html", {"values": values, "problems": problems},
                  status=400 if problems else 200)  # fmt: skip
