"""Figures from the rollups equal figures from the dossiers; open data stays anonymous."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from egov.dossiers import services
from egov.dossiers.models import Dossier
from egov.stats.rollups import differences
from tests.dossiers.helpers import act, client_for, drive_to_end, file_dossier, officer_for, open_tasks


@pytest.fixture
def activity(demo, django_capture_on_commit_callbacks):
    """A morning at the Đông Hà desk: some dossiers through to the result, some refused, one withdrawn."""
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(6):
            dossier = file_dossier(demo["congdan"], "2.000575")
            drive_to_end(dossier["id"], demo["quantri"])
            services.rate(demo["congdan"], Dossier.objects.get(pk=dossier["id"]), 4, "Nhanh")
        refused = file_dossier(demo["congdan2"], "2.000575")
        task = open_tasks(refused["id"], demo["quantri"])[0]
        act(officer_for(task), task["id"], "supplement", {"documents": ["owner_id"]}, "Thiếu")
        withdrawn = file_dossier(demo["congdan2"], "2.000575")
        client_for(demo["congdan2"]).post(f"/api/v1/dossiers/{withdrawn['id']}/withdraw/")
    return demo


def test_rollups_equal_the_dossiers(activity):
    today = timezone.localdate()
    assert differences(today - datetime.timedelta(days=1), today) == []
    call_command("check_rollups")


def test_figures_api_for_managers_only(activity):
    manager = client_for(activity["quanly.dongha"])
    answer = manager.get("/api/v1/stats/figures/", {"agency": "000.17.22.H56"})
    assert answer.status_code == 200
    figures = answer.json()["figures"]
    assert figures["received"] == 8 and figures["received_online"] == 8
    assert figures["completed"] == 6 and figures["on_time_rate"] == 1.0
    assert figures["withdrawn"] == 1 and figures["supplement_requested"] == 1
    assert figures["satisfaction"] == 4.0 and figures["in_progress"] == 1
    assert manager.get("/api/v1/stats/figures/", {"agency": "000.17.24.H56"}).status_code == 403
    assert client_for(activity["congdan"]).get("/api/v1/stats/figures/").status_code == 403
    by_procedure = manager.get("/api/v1/stats/figures/", {"agency": "000.17.22.H56", "group_by": "procedure"}).json()
    assert [row["key"] for row in by_procedure["figures"]] == ["2.000575"]


def test_open_data_is_aggregated_and_anonymous(activity, api):
    answer = api.get("/api/v1/open-data/figures/", {"group_by": "agency"})
    assert answer.status_code == 200 and "max-age" in answer["Cache-Control"]
    body = answer.json()
    assert body["meta"]["licence"] == "CC-BY-4.0"
    text = answer.content.decode()
    for private in ["Nguyễn Văn An", "045090001234", "Lê Lợi", "000.17.22.H56-"]:
        assert private not in text
    row = body["rows"][0]
    assert row["received"] == 8 and row["withdrawn"] is None  # 1 < 5: suppressed
    csv = api.get("/api/v1/open-data/figures/", {"group_by": "procedure", "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv") and csv.content.decode().startswith("key,received")


def test_dashboard_drills_down(activity):
    from django.test import Client

    web = Client()
    web.force_login(activity["quantri"])
    province = web.get("/dashboard/").content.decode()
    assert "Ủy ban nhân dân phường Đông Hà" in province and "?agency=000.17.22.H56" in province
    unit = web.get("/dashboard/", {"agency": "000.17.22.H56"}).content.decode()
    assert "2.000575" in unit and 'id="trend-data"' in unit
    manager = Client()
    manager.force_login(activity["quanly.dongha"])
    assert manager.get("/dashboard/").status_code == 200
    assert manager.get("/dashboard/", {"agency": "000.17.24.H56"}).status_code == 403
    citizen = Client()
    citizen.force_login(activity["congdan"])
    assert citizen.get("/dashboard/").status_code == 403


def test_xlsx_export(activity, api):
    import io

    from openpyxl import load_workbook

    answer = api.get("/api/v1/open-data/figures/", {"group_by": "agency", "format": "xlsx"})
    book = load_workbook(io.BytesIO(answer.content))
    rows = list(book["figures"].values)
    assert rows[0][:2] == ("key", "received") and rows[1][0] == "000.17.22.H56" and rows[1][1] == 8
    assert dict(book["about"].values)["licence"] == "CC-BY-4.0"


def test_the_overdue_list_is_open_unissued_dossiers_by_due_date(demo):
    from egov.agencies.models import Agency
    from egov.stats.selectors import overdue_dossiers

    ids = [file_dossier(demo["congdan"], "2.000575")["id"] for _ in range(4)]
    now = timezone.now()
    for days, pk in enumerate(ids, start=1):
        Dossier.objects.filter(pk=pk).update(due_at=now - datetime.timedelta(days=days))
    Dossier.objects.filter(pk=ids[0]).update(issued_at=now)  # issued in time for the return: not overdue
    Dossier.objects.filter(pk=ids[1]).update(status=Dossier.Status.WITHDRAWN)  # closed
    listed = [str(dossier.pk) for dossier in overdue_dossiers()]
    assert listed == [ids[3], ids[2]]  # the longest overdue first
    assert [str(dossier.pk) for dossier in overdue_dossiers(limit=1)] == [ids[3]]
    unit = Agency.objects.get(code="000.17.22.H56")
    assert [str(dossier.pk) for dossier in overdue_dossiers(unit)] == [ids[3], ids[2]]
    assert list(overdue_dossiers(Agency.objects.get(code="000.17.24.H56"))) == []
