"""The dossier register (Mẫu 07, A4): every dossier a unit received in a period."""

import datetime

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.common.pdf import html_to_pdf
from egov.dossiers import applicants
from egov.dossiers.models import Dossier
from egov.dossiers.selectors import register_entry

from .context import day, issuer, when

RETURN_METHODS = {
    "desk": gettext_lazy("At the desk"), "post": gettext_lazy("By post"), "electronic": gettext_lazy("Electronically"),
}  # fmt: skip
MAX_ROWS = 5000  # a register longer than this is split by period


def register_rows(agency, start, end):
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(start, datetime.time.min, zone)
    until = datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min, zone)
    dossiers = (
        Dossier.objects.filter(receiving_agency=agency, submitted_at__gte=since, submitted_at__lt=until)
        .select_related("applicant", "organization", "representative", "version", "deciding_agency")
        .order_by("submitted_at")[:MAX_ROWS]
    )
    entries = _entry_numbers(dossiers)
    records = {d.pk: applicants.of_record(d) for d in dossiers}
    return [
        {
            "entry": entries[d.pk],
            "code": d.code,
            "procedure": d.version.display_name,
            "applicant": records[d.pk]["full_name"],
            "contact": ", ".join(v for v in [records[d.pk]["address"], records[d.pk]["phone"]] if v),
            "lead": d.deciding_agency.name if d.deciding_agency else "",
            "received": when(d.accepted_at or d.submitted_at),
            "due": when(d.due_at),
            "returned": when(d.completed_at) if d.status == Dossier.Status.RETURNED else "",
            "how": str(RETURN_METHODS.get(d.returned_how, "")),
            "note": str(d.get_status_display()) if d.status != Dossier.Status.RETURNED else "",
        }
        for d in dossiers
    ]


def _entry_numbers(dossiers):
    """Each dossier's entry in its year's volume of the register (the same number its receipt
    prints): the first of a year is looked up, the rest follow in order."""
    numbers, last = {}, {}
    for dossier in dossiers:
        year = timezone.localtime(dossier.submitted_at).year
        last[year] = last[year] + 1 if year in last else register_entry(dossier)[1]
        numbers[dossier.pk] = last[year]
    return numbers


def _noon(date):
    return datetime.datetime.combine(date, datetime.time(12), timezone.get_current_timezone())


def render_register(agency, start, end, language="vi"):
    with translation.override(language):
        ctx = {
            "document": {"title": _("Dossier register")},
            "issuer": issuer(agency),
            "period": {"start": day(_noon(start)), "end": day(_noon(end))},
            "rows": register_rows(agency, start, end),
        }  # fmt: skip
        pdf, _refused = html_to_pdf(render_to_string("documents/register.html", ctx))
    return pdf
