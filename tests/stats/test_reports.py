"""The statutory periodic report (issue 26, item 3): per unit and sector, the period's counts
and the dossiers open at its end, as a PDF read back and a spreadsheet, kept with checksums;
made by beat on the first of the month, and on demand for those who may read the figures."""

import datetime
import hashlib
import io

import pytest
from django.test import Client

from egov.dossiers import services
from egov.dossiers.models import Dossier
from egov.stats.models import DailyFigure, PeriodicReport
from egov.stats.periods import Period
from egov.stats.reports import make_report, periods_ended_on
from tests.factories import CitizenFactory, commune, submitted

pytestmark = pytest.mark.django_db
MARCH = Period(2026, month=3)


def pdf_text(data):
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in pdf)  # wrapped cells


@pytest.fixture
def march(django_capture_on_commit_callbacks):
    """A commune's March: three dossiers received, one refused; one still open at the end, overdue."""
    world = commune()
    with django_capture_on_commit_callbacks(execute=True):
        dossiers = [submitted(world) for _ in range(3)]
        services.complete_task(world.intake, dossiers[0].tasks.get(kind="intake").pk, "refuse", {}, "Không thuộc diện.")
    moment = datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC)
    Dossier.objects.update(submitted_at=moment, due_at=moment + datetime.timedelta(days=5))
    Dossier.objects.filter(pk=dossiers[0].pk).update(completed_at=moment + datetime.timedelta(hours=2))
    DailyFigure.objects.update(day=datetime.date(2026, 3, 10))  # the rollups of that day
    return world


def test_the_monthly_report_counts_the_month_and_what_was_open_at_its_end(march):
    report = make_report(MARCH, march.agency)
    pdf = report.pdf.open("rb").read()
    assert hashlib.sha256(pdf).hexdigest() == report.pdf_sha256
    text = pdf_text(pdf)
    assert "BÁO CÁO TÌNH HÌNH GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH" in text.upper() and "Tháng 3 năm 2026" in text
    assert text.upper().count(march.agency.name.upper()) == 2  # the heading and its row

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(report.xlsx.open("rb").read()))
    header, unit_row, total = list(book.worksheets[0].values)
    values = dict(zip(header, unit_row, strict=True))
    assert unit_row[0] == march.agency.code
    assert values["Tiếp nhận"] == 3 and values["Từ chối"] == 1
    assert values["Đang giải quyết, quá hạn"] == 2 and values["Đang giải quyết, trong hạn"] == 0  # due 15/03
    assert total[1] == "Tổng cộng" and total[2:] == unit_row[2:]
    assert [sheet.title for sheet in book.worksheets[1:]] == ["Theo lĩnh vực", "Theo thủ tục"]
    by_procedure = list(book.worksheets[2].values)
    assert by_procedure[1][0] == march.code and by_procedure[1][2] == 3

    again = make_report(MARCH, march.agency)  # made again: the same row, new files
    assert PeriodicReport.objects.count() == 1 and again.pk == report.pk


def test_beat_makes_the_month_quarter_and_year_a_month_closes():
    assert [str(p) for p in periods_ended_on(datetime.date(2027, 1, 1))] == ["2026-12", "2026-Q4", "2026"]
    assert [str(p) for p in periods_ended_on(datetime.date(2026, 5, 1))] == ["2026-04"]
    assert periods_ended_on(datetime.date(2026, 5, 2)) == []


def test_the_report_api_for_those_who_read_the_figures(march):
    manager = Client()
    manager.force_login(march.manager)
    url = "/api/v1/stats/reports/"
    answer = manager.get(url, {"period": "2026-03", "agency": march.agency.code, "format": "xlsx"})
    assert answer.status_code == 200 and answer["X-Checksum-SHA256"] == PeriodicReport.objects.get().xlsx_sha256
    pdf = manager.get(url, {"period": "2026-03", "agency": march.agency.code})
    assert pdf["Content-Type"] == "application/pdf" and b"".join(pdf.streaming_content).startswith(b"%PDF")
    assert manager.get(url, {"period": "2026-3", "agency": march.agency.code}).status_code == 400
    next_year = str(datetime.date.today().year + 1)
    assert manager.get(url, {"period": next_year, "agency": march.agency.code}).status_code == 400
    assert manager.get(url, {"period": "2026-03"}).status_code == 403  # the whole province: not theirs
    citizen = Client()
    citizen.force_login(CitizenFactory())
    assert citizen.get(url, {"period": "2026-03"}).status_code == 403



def test_the_periods_that_ended_last():
    assert [str(p) for p in Period.last_ended(datetime.date(2026, 12, 5))] == ["2026-11", "2026-Q3", "2025"]
    assert [str(p) for p in Period.last_ended(datetime.date(2026, 1, 1))] == ["2025-12", "2025-Q4", "2025"]
