"""What a document shows, as plain data: the same dictionary feeds the project's templates,
administrators' sandboxed templates and the verification page's key facts."""

from urllib.parse import urlencode

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.agencies.models import Agency
from egov.catalog.definition import summarise_time_limit
from egov.common.pdf import qr_data_uri
from egov.common.text import localize
from egov.common.vocabulary import Timeliness
from egov.dossiers import applicants
from egov.dossiers.selectors import register_entry

from .models import Kind

PAPER_KINDS = {
    "original": gettext_lazy("Original"), "certified_copy": gettext_lazy("Certified copy"),
    "copy": gettext_lazy("Copy"),
}  # fmt: skip


def when(moment):
    """'15 giờ 30 phút, ngày 24/11/2026' in the local time zone; '' for none."""
    if not moment:
        return ""
    local = timezone.localtime(moment)
    return _("%(hour)02d:%(minute)02d, %(day)02d/%(month)02d/%(year)d") % {
        "hour": local.hour, "minute": local.minute, "day": local.day, "month": local.month, "year": local.year,
    }  # fmt: skip


def day(moment):
    local = timezone.localtime(moment) if moment else timezone.localtime()
    return _("%(day)02d/%(month)02d/%(year)d") % {"day": local.day, "month": local.month, "year": local.year}


def verify_url(code):
    return f"{settings.SITE_URL}/verify/{code}/"


def tracking(dossier):
    """What lets a walk-in follow their dossier without an account: the lookup key, the entry
    in the unit's register, and a QR code opening the tracking page. The code and key travel
    in the link's fragment (after #), which a browser never sends to a server: no log or proxy
    sees them; the page reads them and asks by POST."""
    if not dossier.code:
        return {}
    volume, entry = register_entry(dossier) if dossier.receiving_agency_id and dossier.submitted_at else ("", "")
    url = f"{settings.SITE_URL}/track/#" + urlencode({"code": dossier.code, "key": dossier.lookup_key})
    return {"key": dossier.lookup_key, "url": url, "qr": qr_data_uri(url), "page": f"{settings.SITE_URL}/track/",
            "volume": volume, "entry": entry}  # fmt: skip


def issuer(agency):
    province = agency.province() if agency else None
    parent = agency.parent if agency and agency.parent_id else province
    return {
        "parent": parent.name if parent and parent.pk != getattr(agency, "pk", None) else "",
        "unit": agency.name if agency else "",
        "address": agency.address if agency else "",
        "phone": agency.phone if agency else "",
        "place": (province.name.replace("UBND tỉnh ", "").replace("Ủy ban nhân dân tỉnh ", "") if province else ""),
    }


def form_fields(dossier):
    spec = dossier.spec
    rows = []
    for field in spec.input_fields:
        if field.key not in dossier.data:
            continue
        value = dossier.data[field.key]
        if field.type == "choice":
            value = field.choice_label(value)
        elif field.type == "multichoice":
            value = ", ".join(field.choice_label(v) for v in value)
        elif field.type == "boolean":
            value = _("Yes") if value else _("No")
        elif field.type == "money":
            value = f"{value:,}".replace(",", ".") + " đ"
        elif field.type == "agency":
            value = Agency.objects.filter(code=value).values_list("name", flat=True).first() or value
        rows.append({"key": field.key, "label": field.label(), "value": str(value)})
    return rows


def papers(dossier):
    spec = dossier.spec
    counts = {}
    for attachment in dossier.attachments.filter(replaced_at__isnull=True):
        counts[attachment.document_key] = counts.get(attachment.document_key, 0) + 1
    rows = []
    for number, document in enumerate([d for d in spec.documents if d.key in counts], 1):
        rows.append({
            "no": number, "name": document.name(), "kind": str(PAPER_KINDS.get(document.kind, document.kind)),
            "files": counts[document.key], "quantity": document.quantity,
        })  # fmt: skip
    return rows


def dossier_context(document, dossier, extra=None):
    spec = dossier.spec
    agency = dossier.receiving_agency or dossier.deciding_agency
    url = verify_url(document.verification_code)
    ctx = {
        "document": {
            "code": document.verification_code,
            "kind": document.kind,
            "title": str(Kind(document.kind).label),
            "verify_url": url,
            "qr": qr_data_uri(url),
            "date": day(timezone.now()),
        },
        "issuer": issuer(agency),
        "deciding": issuer(dossier.deciding_agency),
        "dossier": {
            "code": dossier.code,
            "channel": str(dossier.get_channel_display()),
            "submitted_at": when(dossier.submitted_at),
            "accepted_at": when(dossier.accepted_at),
            "due_at": when(dossier.due_at),
            "extended_due_at": when(dossier.extended_due_at),
            "issued_at": when(dossier.issued_at),
            "completed_at": when(dossier.completed_at),
            "time_limit": summarise_time_limit(dossier.time_limit) if dossier.time_limit else "",
            "fee": money(dossier.fee_amount) if dossier.fee_amount else _("Free of charge"),
            "status": str(dossier.get_status_display()),
            "state": dossier.status,
            "decision_note": dossier.decision_note,
            "apology_reason": dossier.apology_reason,
            "result_electronic": spec.result_electronic,
            "sets": spec.sets,
        },
        "tracking": tracking(dossier),
        # The applicant of record: the organisation when one applies, with who filed for it.
        "applicant": applicants.of_record(dossier),
        "procedure": {"code": spec.code, "name": spec.name(), "result_name": spec.result_name()},
        "fields": form_fields(dossier),
        "data": {row["key"]: row["value"] for row in form_fields(dossier)},
        "papers": papers(dossier),
    }
    request = dossier.supplement_requests.order_by("-requested_at").first()
    if request:
        ctx["supplement"] = {
            "reason": request.reason,
            "requested_at": when(request.requested_at),
            "officer": request.requested_by.full_name,
            "documents": [{"no": i, "name": spec.document(k).name(), "kind": str(PAPER_KINDS.get(
                spec.document(k).kind, "")), "quantity": spec.document(k).quantity}
                for i, k in enumerate(request.documents, 1)],
            "fields": [spec.field(k).label() for k in request.fields],
        }  # fmt: skip
    ctx["slip"] = [
        {
            "no": i,
            "agency": row.agency.name,
            "step": str(row.step_label),
            "handed_at": when(row.handed_at),
            "giver": row.giver.full_name if row.giver else "",
            "receiver": row.receiver_agency.name if row.receiver_agency else "",
            "timeliness": Timeliness(row.timeliness).label if row.timeliness else "",
            "note": row.note,
        }
        for i, row in enumerate(dossier.handovers.select_related("agency", "giver", "receiver_agency"), 1)
    ]  # fmt: skip
    ctx["payment"] = paid_fee(dossier)
    ctx.update(extra or {})
    return ctx


def paid_fee(dossier):
    """The fee paid, for the e-receipt: its lines, how and when it was paid, the reference."""
    from egov.dossiers.models import Payment
    from egov.payments.providers import get_provider

    payment = dossier.payments.filter(status=Payment.Status.PAID).order_by("-paid_at").first()
    if payment is None:
        return None
    try:
        how = str(get_provider(payment.provider).label)
    except LookupError:
        how = payment.provider
    return {
        "amount": money(payment.amount), "how": how, "reference": payment.reference, "paid_at": when(payment.paid_at),
        "lines": [{"no": i, "name": localize(line["name"]), "amount": money(line["amount"])}
                  for i, line in enumerate(dossier.fee_lines or [], 1)],
    }  # fmt: skip


def money(amount):
    return f"{amount:,}".replace(",", ".") + " đ"


def key_facts(ctx):
    """What the public verification page shows: enough to recognise the paper, nothing more."""
    return {
        "title": ctx["document"]["title"],
        "dossier_code": ctx.get("dossier", {}).get("code", ""),
        "holder": ctx.get("applicant", {}).get("full_name", ""),
        "procedure": ctx.get("procedure", {}).get("name", ""),
        "issuer": ctx.get("issuer", {}).get("unit", ""),
        "date": ctx["document"]["date"],
    }
