"""The periodic report of dossier handling a province sends upward, monthly, quarterly and
yearly (domain notes §7): per unit and per sector, dossiers received (of which online), in
progress at the end of the period (in time / overdue), completed (early / on time / late),
returned for supplement, refused and withdrawn. As a PDF (A4 landscape, like the register)
and a spreadsheet, made by beat after each period and on demand, and kept with checksums
(``PeriodicReport``) so that what was sent can be shown again.

The counts of the period come from the rollups (egov/stats/selectors.py), the same as the
dashboard and open data; the dossiers still open at the end of the period are counted from
the dossiers, as of that moment.
"""

import datetime
import hashlib
import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from egov.agencies.models import Agency
from egov.catalog.models import ProcedureVersion, Sector
from egov.common.pdf import html_to_pdf
from egov.common.text import localize
from egov.dossiers.models import Dossier

from .models import PeriodicReport
from .periods import Period
from .selectors import figures, of_unit

COLUMNS = [
    ("received", gettext_lazy("Received")), ("received_online", gettext_lazy("of which online")),
    ("in_progress_in_time", gettext_lazy("In progress, in time")),
    ("in_progress_overdue", gettext_lazy("In progress, overdue")),
    ("completed_early", gettext_lazy("Completed early")), ("completed_on_time", gettext_lazy("Completed on time")),
    ("completed_late", gettext_lazy("Completed late")), ("supplement_requested", gettext_lazy("Asked to supplement")),
    ("refused", gettext_lazy("Refused")), ("withdrawn", gettext_lazy("Withdrawn")),
]  # fmt: skip
# How the dossiers of each part of the report are keyed (the rollups key them the same way).
BY = {"agency": "receiving_agency__code", "sector": "version__sector__code", "procedure": "procedure__code"}


def table(period, by, agency=None):
    """Rows (key, name, one value per column) and their total, for ``by`` agency or sector."""
    counted = {row["key"]: row for row in figures(period.start, period.end, agency, group_by=by)}
    open_at_end = _in_progress_at(_end_of(period), by, agency)
    keys = sorted(set(counted) | set(open_at_end), key=lambda key: (key is None, key or ""))
    names = _names(by, keys)
    rows = []
    for key in keys:
        row = counted.get(key, {})
        in_time, overdue = open_at_end.get(key, (0, 0))
        values = {**{name: row.get(name) or 0 for name, _label in COLUMNS}, "received_online":
                  (row.get("received_online") or 0) + (row.get("received_api") or 0),
                  "in_progress_in_time": in_time, "in_progress_overdue": overdue}  # fmt: skip
        rows.append({"key": key or "", "name": names.get(key) or _("(none)"),
                     "values": [values[name] for name, _label in COLUMNS]})  # fmt: skip
    total = [sum(row["values"][i] for row in rows) for i in range(len(COLUMNS))]
    return rows, total


def _end_of(period):
    following = period.end + datetime.timedelta(days=1)
    return datetime.datetime.combine(following, datetime.time.min, timezone.get_current_timezone())


def _in_progress_at(moment, by, agency=None):
    """{key: (in time, overdue)} of the dossiers received and not finished at ``moment``."""
    field = BY[by]
    open_then = Dossier.objects.filter(
        Q(issued_at__isnull=True) | Q(issued_at__gte=moment),
        Q(completed_at__isnull=True) | Q(completed_at__gte=moment),
        submitted_at__lt=moment,
    )
    if agency is not None:
        open_then = open_then.filter(of_unit(agency, "receiving_agency"))
    counts = open_then.values(field).annotate(all=Count("pk"), late=Count("pk", filter=Q(due_at__lt=moment)))
    return {row[field]: (row["all"] - row["late"], row["late"]) for row in counts}


def _names(by, keys):
    if by == "agency":
        return dict(Agency.objects.filter(code__in=keys).values_list("code", "name"))
    if by == "sector":
        return {code: localize(name) for code, name in Sector.objects.filter(code__in=keys).values_list("code", "name")}
    # A procedure by the name of its latest version (the ordering puts it last for each code).
    versions = ProcedureVersion.objects.filter(procedure__code__in=keys).order_by("procedure__code", "number")
    return {version.procedure.code: version.display_name for version in versions.select_related("procedure")}


def contents(period, agency=None):
    return {
        "period": period, "agency": agency,
        "columns": [str(label) for _name, label in COLUMNS],
        "by_agency": table(period, "agency", agency), "by_sector": table(period, "sector", agency),
        "by_procedure": table(period, "procedure", agency),
        "made_at": timezone.localtime(),
    }  # fmt: skip


def _parts(data):
    """(title, heading of the name column, (rows, total)) of each part of the report."""
    return [(_("By unit"), _("Unit"), data["by_agency"]), (_("By sector"), _("Sector"), data["by_sector"]),
            (_("By procedure"), _("Procedure"), data["by_procedure"])]  # fmt: skip


def render_pdf(data):
    pdf, _refused = html_to_pdf(render_to_string("stats/report.html", {**data, "parts": _parts(data)}))
    return pdf


def render_xlsx(data):
    from openpyxl import Workbook

    book = Workbook()
    for index, (title, _heading, (rows, total)) in enumerate(_parts(data)):
        sheet = book.active if index == 0 else book.create_sheet()
        sheet.title = title[:31]
        sheet.append([_("Code"), _("Name"), *data["columns"]])
        for row in rows:
            sheet.append([row["key"], row["name"], *row["values"]])
        sheet.append(["", _("Total"), *total])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_report(period, agency=None, language="vi"):
    """Make (or make again) and keep the report of ``period`` for ``agency`` (None: the province)."""
    with translation.override(language):
        data = contents(period, agency)
        pdf, xlsx = render_pdf(data), render_xlsx(data)
    unit = agency.code if agency else ""
    name = f"bao-cao-{period}-{unit or 'tinh'}"
    with transaction.atomic():
        report, _created = PeriodicReport.objects.select_for_update().get_or_create(period=str(period), unit=unit)
        old = [report.pdf.name, report.xlsx.name]
        report.pdf.save(f"{name}.pdf", ContentFile(pdf), save=False)
        report.xlsx.save(f"{name}.xlsx", ContentFile(xlsx), save=False)
        report.pdf_sha256, report.xlsx_sha256 = hashlib.sha256(pdf).hexdigest(), hashlib.sha256(xlsx).hexdigest()
        report.save()
    for path in filter(None, old):  # the earlier making, replaced
        if path not in (report.pdf.name, report.xlsx.name):
            report.pdf.storage.delete(path)
    return report


def periods_ended_on(day):
    """The periods whose report is due on ``day`` (the first of a month): the month before,
    and the quarter and the year it closes."""
    if day.day != 1:
        return []
    month = Period.last_month(day)
    due = [month]
    if month.month % 3 == 0:
        due.append(month.its_quarter())
    if month.month == 12:
        due.append(Period(month.year))
    return due
