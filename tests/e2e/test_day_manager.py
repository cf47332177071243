"""A centre manager's day in a real browser: the dashboard of the Đông Hà centre, whose figures
are counted again here from the dossiers themselves; the overdue dossier on it; the officers'
workload, where a task the specialist holds goes to a colleague while she is away; the
national service index, whose shares are the dossiers'."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from egov.accounts.models import User
from egov.accounts.services import grant_role
from egov.audit.models import AuditRecord
from egov.dossiers import services
from egov.dossiers.models import Dossier, SupplementRequest
from tests.dossiers.helpers import do, drive_to_end, file_dossier
from workflows.models import DossierTask

from .conftest import shoot

pytestmark = pytest.mark.django_db(transaction=True)

DONG_HA = "000.17.22.H56"


def filed(demo, code="2.000575", citizen="congdan"):
    return Dossier.objects.get(pk=file_dossier(demo[citizen], code)["id"])


def expected_figures():
    """The dashboard's figures for Đông Hà this year, counted from the dossiers."""
    received = Dossier.objects.filter(receiving_agency__code=DONG_HA, submitted_at__isnull=False,
                                      submitted_at__gte=timezone.localtime().replace(month=1, day=1, hour=0, minute=0))  # fmt: skip
    open_ = received.filter(status__in=Dossier.OPEN_STATUSES)
    done = received.filter(issued_at__isnull=False)
    return {
        "received": received.count(),
        "in_progress": open_.count(),
        "in_progress_overdue": open_.filter(due_at__lt=timezone.now(), issued_at__isnull=True).count(),
        "completed": done.count(),
        "completed_early": done.filter(timeliness="early").count(),
        "completed_on_time": done.filter(timeliness="on_time").count(),
        "completed_late": done.filter(timeliness="late").count(),
        "supplement_requested": SupplementRequest.objects.filter(dossier__in=received).count(),
    }


def test_a_centre_manager_reads_the_figures_and_gives_a_task_to_another_officer(page_for, demo):
    grant_role("chuyenvien2.dongha", "case_officer", DONG_HA, full_name="Võ Văn Thay")
    done = filed(demo)
    drive_to_end(done.pk, demo["quantri"])
    held = do(demo["tiepnhan.dongha"], filed(demo, citizen="congdan2"), "accept")
    task = DossierTask.objects.get(dossier=held, step_key="appraise")
    services.claim(demo["congchuc.dongha"], task.pk)  # the specialist has it in hand
    late = do(demo["tiepnhan.dongha"], filed(demo, "2.000908"), "accept")
    Dossier.objects.filter(pk=late.pk).update(due_at=timezone.now() - datetime.timedelta(hours=3))
    asked = do(demo["tiepnhan.dongha"], filed(demo), "accept")
    do(demo["congchuc.dongha"], asked, "supplement", data={"documents": ["owner_id"]}, note="Ảnh căn cước bị mờ.")
    waiting = filed(demo, citizen="congdan2")  # not yet looked at by the desk
    expected = expected_figures()
    assert expected["received"] == 5 and expected["in_progress"] == 4 and expected["in_progress_overdue"] == 1

    manager = page_for("quanly.dongha")
    manager.goto("/dashboard/")
    for name, value in expected.items():
        expect(manager.locator(f"[data-figure={name}]"), name).to_have_text(str(value))
    overdue = manager.locator("#overdue-dossiers tbody tr")
    expect(overdue).to_have_count(1)
    expect(overdue).to_contain_text(late.code)
    shoot(manager, "day-manager-dashboard")

    # The specialist is away: her task goes to her colleague, from the officers' workload.
    manager.click("a[href^='/dashboard/team/']")
    hers = manager.locator("section[data-officer='congchuc.dongha']")
    row = hers.locator("tr", has=manager.locator("a", has_text=held.code))
    expect(row).to_have_count(1)
    expect(manager.locator("#officers tr[data-officer='congchuc.dongha'] [data-figure=open]")).to_have_text("1")
    row.locator("select[name=user]").select_option("chuyenvien2.dongha")
    row.locator("button[type=submit]").click()
    his = manager.locator("section[data-officer='chuyenvien2.dongha']")
    expect(his.locator("a", has_text=held.code)).to_be_visible()
    expect(hers).to_have_count(0)  # nothing left in her hands
    expect(manager.locator("#officers tr[data-officer='chuyenvien2.dongha'] [data-figure=open]")).to_have_text("1")
    shoot(manager, "day-manager-team")
    task.refresh_from_db()
    assert task.owner == User.objects.get(username="chuyenvien2.dongha")
    assert AuditRecord.objects.filter(action="task.reassign", actor=demo["quanly.dongha"]).count() == 1
    # The desk's own tasks and the others did not move.
    assert DossierTask.objects.get(dossier=waiting, kind="intake").owner is None

    # The national service index of the year: its shares are the dossiers'.
    manager.goto("/dashboard/")
    manager.click("a[href^='/dashboard/index/']")
    manager.wait_for_selector("table#index-table")
    figures = expected_figures()
    in_time = figures["completed_early"] + figures["completed_on_time"]
    expect(manager.locator("[data-indicator=on_time]")).to_contain_text(f"{in_time} / {figures['completed']}")
    received = Dossier.objects.filter(receiving_agency__code=DONG_HA, submitted_at__isnull=False)
    online = received.filter(channel__in=["online", "api"]).count()
    expect(manager.locator("[data-indicator=online_filing]")).to_contain_text(f"{online} / {received.count()}")
    shoot(manager, "day-manager-index")
