"""A leader looks at the dashboard in a real browser and drills down."""

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
