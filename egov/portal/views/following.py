"""Following a dossier: my dossiers, a dossier's page, supplements, withdrawal, rating, tracking."""



from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from egov.catalog.eform_page import field_rows, posted_values
from egov.common.errors import DomainError, NotFound
from egov.common.ratelimit import Limit, client_address
from egov.documents.models import Document, Kind
from egov.dossiers import applicants, selectors, services
from egov.dossiers.models import Dossier
from egov.dossiers.services import claims
from egov.dossiers.timeline import timeline
from egov.payments.providers import online_providers
from egov.payments.providers.counter import CounterProvider

from .applying import _messages, own_dossier, paper_rows


@login_required
def my_dossiers(request):
    dossiers = selectors.mine(request.user).order_by("-created_at")
    status = request.GET.get("status", "")
    if status == "open":
        dossiers = dossiers.filter(status__in=Dossier.OPEN_STATUSES)
    elif status == "draft":
        dossiers = dossiers.filter(status=Dossier.Status.DRAFT)
    elif status == "done":
        dossiers = dossiers.filter(status__in=Dossier.FINAL_STATUSES)
    page = Paginator(dossiers, 20).get_page(request.GET.get("page"))
    return render(request, "portal/my_dossiers.html", {"page": page, "status": status})


@login_required
def dossier(request, pk):
    item = own_dossier(request, pk)
    if item.status == Dossier.Status.DRAFT:
        return redirect("portal:form", pk=item.pk)
    documents = list(item.documents.filter(status__in=[Document.Status.READY]).order_by("created_at"))
    result = next((d for d in documents if d.kind == Kind.RESULT), None)
    receipt = next((d for d in reversed(documents) if d.kind == Kind.RECEIPT), None)
    payment = item.payments.filter(status="pending").first()
    just_submitted = request.session.pop("just_submitted", None) == str(item.pk)
    return render(request, "portal/dossier.html", {
        "dossier": item, "applicant": applicants.of_record(item), "history": timeline(item), "documents": documents,
        "result": result, "receipt": receipt,
        "supplement": selectors.open_supplement(item), "rating": getattr(item, "rating", None),
        "payment": payment, "online_providers": online_providers(), "counter_help": CounterProvider.instructions(),
        "refunds": item.payments.filter(refunds__isnull=False).values_list("refunds__amount", "refunds__status"),
        "can_withdraw": item.is_open and item.status != Dossier.Status.READY_FOR_RETURN,
        "just_submitted": just_submitted, "fields": [r for r in field_rows(item.spec, item.data) if r["visible"]],
    })  # fmt: skip


@login_required
def supplement(request, pk):
    item = own_dossier(request, pk)
    request_ = selectors.open_supplement(item)
    if request_ is None:
        return redirect("portal:dossier", pk=item.pk)
    spec = item.spec
    fields = [spec.field(key) for key in request_.fields]
    errors, problems, status = {}, [], 200
    values = item.data
    if request.method == "POST":
        try:
            if request.POST.get("action") == "upload":
                services.add_attachment(request.user, item, request.POST.get("document"), request.FILES.get("file"))
                messages.success(request, _("The file was uploaded."))
                return redirect("portal:supplement", pk=item.pk)
            values = posted_values(fields, request.POST)
            services.answer_supplement(request.user, item, values, request.POST.get("note", ""))
            messages.success(request, _("Thank you: your answer was sent and the dossier goes on."))
            return redirect("portal:dossier", pk=item.pk)
        except DomainError as exc:
            errors, problems, status = exc.errors, _messages(exc), exc.status
            values = {**item.data, **{k: v for k, v in values.items() if v is not None}}
    new_files = {}
    for attachment in item.attachments.filter(uploaded_at__gte=request_.requested_at, replaced_at__isnull=True):
        new_files.setdefault(attachment.document_key, []).append(attachment)
    papers = [row | {"new_files": new_files.get(row["key"], [])}
              for row in paper_rows(item) if row["key"] in request_.documents]  # fmt: skip
    return render(request, "portal/supplement.html", {
        "dossier": item, "request_": request_, "papers": papers, "problems": problems, "errors": errors,
        "rows": field_rows(spec, values, errors, fields=fields),
    }, status=status)  # fmt: skip


@login_required
@require_POST
def withdraw(request, pk):
    item = own_dossier(request, pk)
    try:
        services.withdraw(request.user, item, request.POST.get("reason", ""))
        messages.success(request, _("Your dossier was withdrawn. A stop-processing notice will be issued."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("portal:dossier", pk=item.pk)


@login_required
@require_POST
def rate(request, pk):
    item = own_dossier(request, pk)
    try:
        services.rate(request.user, item, request.POST.get("score"), request.POST.get("comment", ""))
        messages.success(request, _("Thank you for rating the service."))
    except DomainError as exc:
        messages.error(request, " ".join(_messages(exc)))
    return redirect("portal:dossier", pk=item.pk)


def track(request):
    """Follow a dossier by its code and the key on the receipt (posted; a link from the
    receipt's QR code may carry them). Guesses are slowed per client address, as the API's."""
    source = request.POST if request.method == "POST" else request.GET
    code = source.get("code", "").strip()[:60]
    key = source.get("key", "").strip().upper()[:12]
    found, history = None, []
    if code and key:
        if not Limit("track", settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["track"]).hit(client_address(request)):
            return render(request, "portal/track.html", {"code": code, "throttled": True}, status=429)
        found = selectors.tracked(code, key)
        history = timeline(found, public=True) if found else []
    status = 404 if code and key and found is None else 200
    return render(request, "portal/track.html", {"code": code, "key": key, "found": found, "history": history,
                                                 "searched": bool(code and key)}, status=status)  # fmt: skip


CLAIMING = "egov_claiming"  # the session key of the dossier being claimed, once its receipt was shown


@login_required
def claim(request):
    """Add dossiers filed at a desk to my account: the code and key from the receipt, then a
    code sent to the phone or e-mail given at the desk (services/claims.py)."""
    if request.user.kind != "citizen":
        raise Http404()
    pending = request.session.get(CLAIMING)
    dossier = Dossier.objects.filter(pk=pending["dossier"]).select_related("applicant").first() if pending else None
    stage, errors = ("proof" if dossier else "receipt"), []
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "find":
                if not Limit("track", settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["track"]).hit(
                    client_address(request)
                ):
                    return render(request, "portal/claim.html", {"throttled": True, "stage": "receipt"}, status=429)
                dossier = claims.claimable(request.user, request.POST.get("code", "").strip()[:60],
                                           request.POST.get("key", "").strip().upper()[:12])  # fmt: skip
                request.session[CLAIMING] = {"dossier": str(dossier.pk), "channel": ""}
                return redirect("portal:claim")
            if action == "send" and dossier is not None:
                claims.send_claim_code(request.user, dossier, request.POST.get("channel", ""))
                request.session[CLAIMING] = {**pending, "channel": request.POST.get("channel", "")}
                return redirect("portal:claim")
            if action == "cancel":
                request.session.pop(CLAIMING, None)
                return redirect("portal:claim")
            if action == "confirm" and dossier is not None:
                moved = claims.claim(request.user, dossier, pending["channel"], request.POST.get("otp", ""))
                request.session.pop(CLAIMING, None)
                messages.success(request, ngettext(
                    "%(n)d dossier is now in your account.", "%(n)d dossiers are now in your account.", len(moved)
                ) % {"n": len(moved)})  # fmt: skip
                return redirect("portal:my-dossiers")
        except DomainError as exc:
            errors = _messages(exc)
            if exc.code == "identity_mismatch" or isinstance(exc, NotFound):
                request.session.pop(CLAIMING, None)
                stage, dossier = "receipt", None
    channels = claims.channels_of(dossier.applicant) if dossier else []
    sent_to = dict(channels).get(pending["channel"], "") if dossier and pending else ""
    return render(request, "portal/claim.html", {
        "stage": stage, "errors": errors, "channels": channels, "sent_to": sent_to, "dossier": dossier,
    }, status=400 if errors else 200)  # fmt: skip
