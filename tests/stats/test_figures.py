"""Figures from the rollups equal figures from the dossiers; open data stays anonymous."""

import datetime

from django.core.management import call_command
from django.utils import timezone

from egov.dossiers.models import Dossier
from egov.stats.rollups import differences
from tests.dossiers.helpers import client_for
from tests.stats.conftest import file


def test_rollups_equal_the_dossiers(activity):
    today = timezone.localdate()
    assert differences(today - datetime.timedelta(days=1), today) == []
    call_command("check_rollups")


def test_figures_api_for_managers_only(activity):
    unit = activity.agency.code
    manager = client_for(activity.manager)
    answer = manager.get("/api/v1/stats/figures/", {"agency": unit})
    assert answer.status_code == 200
    figures = answer.json()["figures"]
    assert figures["received"] == 8 and figures["received_online"] == 8
    assert figures["completed"] == 6 and figures["on_time_rate"] == 1.0
    assert figures["withdrawn"] == 1 and figures["supplement_requested"] == 1
    assert figures["satisfaction"] == 4.0 and figures["in_progress"] == 1
    assert manager.get("/api/v1/stats/figures/", {"agency": activity.other.code}).status_code == 403
    assert client_for(activity.citizen).get("/api/v1/stats/figures/").status_code == 403
    by_procedure = manager.get("/api/v1/stats/figures/", {"agency": unit, "group_by": "procedure"}).json()
    assert [row["key"] for row in by_procedure["figures"]] == [activity.code]


def published_last_month():
    """Open data publishes ended months only: the morning's figures are moved to last month."""
    from egov.stats.models import DailyFigure
    from egov.stats.periods import Period

    DailyFigure.objects.update(day=Period.last_month().start + datetime.timedelta(days=14))


def test_open_data_is_aggregated_and_anonymous(activity, api):
    published_last_month()
    answer = api.get("/api/v1/open-data/figures/", {"group_by": "agency"})
    assert answer.status_code == 200 and "max-age" in answer["Cache-Control"]
    body = answer.json()
    assert body["meta"]["licence"] == "CC-BY-4.0"
    text = answer.content.decode()
    people = [activity.citizen, activity.neighbour]
    assert all("Lê Lợi" in person.address for person in people)
    for private in [*(p.full_name for p in people), *(p.personal_id for p in people), "Lê Lợi",
                    f"{activity.agency.code}-"]:  # fmt: skip
        assert private not in text
    row = body["rows"][0]
    assert row["received"] == 8 and row["withdrawn"] is None  # 1 < 5: suppressed
    csv = api.get("/api/v1/open-data/figures/", {"group_by": "procedure", "format": "csv"})
    assert csv["Content-Type"].startswith("text/csv") and csv.content.decode().startswith("key,received")


def test_dashboard_drills_down(activity):
    from django.test import Client

    web = Client()
    web.force_login(activity.admin)
    province = web.get("/dashboard/").content.decode()
    assert activity.agency.name in province and f"?agency={activity.agency.code}" in province
    unit = web.get("/dashboard/", {"agency": activity.agency.code}).content.decode()
    assert activity.code in unit and 'id="trend-data"' in unit
    manager = Client()
    manager.force_login(activity.manager)
    assert manager.get("/dashboard/").status_code == 200
    assert manager.get("/dashboard/", {"agency": activity.other.code}).status_code == 403
    citizen = Client()
    citizen.force_login(activity.citizen)
    assert citizen.get("/dashboard/").status_code == 403


def test_xlsx_export(activity, api):
    import io

    from openpyxl import load_workbook

    published_last_month()
    answer = api.get("/api/v1/open-data/figures/", {"group_by": "agency", "format": "xlsx"})
    book = load_workbook(io.BytesIO(answer.content))
    rows = list(book["figures"].values)
    assert rows[0][:2] == ("key", "received") and rows[1][0] == activity.agency.code and rows[1][1] == 8
    assert dict(book["about"].values)["licence"] == "CC-BY-4.0"


def test_the_overdue_list_is_open_unissued_dossiers_by_due_date(world):
    from egov.stats.selectors import overdue_dossiers

    ids = [file(world)["id"] for _ in range(4)]
    now = timezone.now()
    for days, pk in enumerate(ids, start=1):
        Dossier.objects.filter(pk=pk).update(due_at=now - datetime.timedelta(days=days))
    Dossier.objects.filter(pk=ids[0]).update(issued_at=now)  # issued in time for the return: not overdue
    Dossier.objects.filter(pk=ids[1]).update(status=Dossier.Status.WITHDRAWN)  # closed
    listed = [str(dossier.pk) for dossier in overdue_dossiers()]
    assert listed == [ids[3], ids[2]]  # the longest overdue first
    assert [str(dossier.pk) for dossier in overdue_dossiers(limit=1)] == [ids[3]]
    assert [str(dossier.pk) for dossier in overdue_dossiers(world.agency)] == [ids[3], ids[2]]
    assert list(overdue_dossiers(world.other)) == []
