"""A leader looks at the dashboard in a real browser and drills down."""

import io

import pytest

from tests.dossiers.helpers import drive_to_end, file_dossier

from .conftest import PHONE, shoot

pytestmark = pytest.mark.django_db(transaction=True)


def test_dashboard_charts_and_drill_down(page_for, demo):
    for _ in range(2):
        drive_to_end(file_dossier(demo["congdan"], "2.000575")["id"], demo["quantri"])
    file_dossier(demo["congdan2"], "2.000575")
    page = page_for("quantri")
    page.goto("/dashboard/")
    page.wait_for_function("() => window.Chart && Chart.getChart('trend')")
    assert page.evaluate("() => Chart.getChart('trend').data.datasets[0].data.reduce((a, b) => a + b, 0)") == 3
    shoot(page, "desktop-dashboard")
    page.click("a[href^='?agency=000.17.22.H56']")
    page.wait_for_url("**agency=000.17.22.H56**")
    assert page.locator("td", has_text="2.000575").count() == 1
    shoot(page, "desktop-dashboard-unit")
    phone = page_for("quanly.dongha", viewport=PHONE)
    phone.goto("/dashboard/")
    assert "Đông Hà" in phone.locator("h1").inner_text()
    shoot(phone, "phone-dashboard")


def test_a_centre_manager_evens_out_the_load_from_the_officers_page(page_for, demo):
    from workflows.models import DossierTask

    submitted = file_dossier(demo["congdan"], "2.000575")
    manager = page_for("quanly.dongha", locale="vi-VN")
    manager.goto("/dashboard/")
    manager.click("a[href^='/dashboard/team/']")
    manager.wait_for_selector("table#officers")
    assert "Nguyễn Thị Một Cửa" in manager.inner_text("table#officers")  # the desk officer of Đông Hà
    row = manager.locator("tr", has_text=submitted["code"])
    row.locator("select[name=user]").select_option("tiepnhan.dongha")
    row.locator("button").click()
    manager.wait_for_selector("h3:text-is('Nguyễn Thị Một Cửa')")  # back on the page, the task in her hands
    task = DossierTask.objects.get(dossier_id=submitted["id"], kind="intake")
    assert task.owner == demo["tiepnhan.dongha"]
    shoot(manager, "desktop-team")


@pytest.fixture
def lived_in(transactional_db):
    """The demo province with a year of history (before the ``demo`` fixture seeds it again,
    which keeps what is there)."""
    from django.core.management import call_command

    call_command("seed_demo", "--history", "--dossiers", "60", "--seed", "7", stdout=io.StringIO())


def test_the_index_of_a_lived_in_province_its_dossiers_and_a_periodic_report(lived_in, page_for, tmp_path):
    """A leader opens the index of the demo's year, follows a share down to its dossiers and
    downloads last quarter's report, whose figures are the dashboard's."""
    from django.utils import timezone
    from openpyxl import load_workbook

    from egov.stats.index import score
    from egov.stats.periods import Period
    from egov.stats.selectors import figures

    year = Period(timezone.localdate().year)
    expected = score(year)
    page = page_for("quantri")
    page.goto("/dashboard/")
    page.click("a[href^='/dashboard/index/']")
    page.wait_for_selector("table#index-table")
    assert float(page.inner_text("#index-total")) == expected["total"]["points"]
    assert page.locator("[data-indicator=digitisation]").inner_text().count("not measured") == 1
    shoot(page, "desktop-service-index")
    on_time = next(c for g in expected["groups"] for c in g["components"] if c["key"] == "on_time")
    page.locator("[data-indicator=on_time] a").click()
    page.wait_for_selector("table#dossiers")
    assert page.inner_text("#count").startswith(f"{on_time['denominator']} dossiers")

    page.goto("/dashboard/")
    quarter = Period.last_ended()[1]
    with page.expect_download() as download:
        page.click(f"a[href*='/api/v1/stats/reports/?period={quarter}&format=xlsx']")
    saved = tmp_path / "report.xlsx"
    download.value.save_as(saved)
    header, *_rows, total = load_workbook(saved).worksheets[0].values
    counted = dict(zip(header, total, strict=True))
    assert counted["Tiếp nhận"] == figures(quarter.start, quarter.end)["received"] > 0
