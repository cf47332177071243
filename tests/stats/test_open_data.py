"""Open data that stays anonymous (security review M2): an attacker who downloads every table
of a quarter — its months and the quarter, by agency and by month — and solves every sum it
knows still cannot work out a hidden count. And an API client reads only its own figures (L6).

The figures are daily rollups (what the outbox consumer keeps, egov/stats/rollups.py), made
here with a factory for the cells each case needs."""

import datetime

import factory
import pytest
from factory.django import DjangoModelFactory

from egov.integrations.clients import register_client
from egov.stats.models import DailyFigure
from egov.stats.opendata import COUNTS, RELATIONS
from egov.stats.periods import Period
from tests.factories import AgencyFactory, published

pytestmark = pytest.mark.django_db
QUARTER = Period(2026, quarter=1)  # ended: the tests run after it
MONTHS = [str(month) for month in QUARTER.months()]


class FigureFactory(DjangoModelFactory):
    class Meta:
        model = DailyFigure

    day = datetime.date(2026, 1, 15)
    agency = factory.SubFactory(AgencyFactory)
    deciding_agency = factory.SelfAttribute("agency")
    procedure = factory.LazyFunction(lambda: published().procedure)
    sector = factory.LazyAttribute(lambda row: row.procedure.versions.first().sector)


def day_of(month):
    return datetime.date.fromisoformat(f"{month}-15")


def download(api, period, group_by):
    answer = api.get("/api/v1/open-data/figures/", {"period": str(period), "group_by": group_by})
    assert answer.status_code == 200, answer.json()
    return {row["key"]: row for row in answer.json()["rows"]}


GROUPINGS = ("agency", "sector", "procedure", "month")


def attack(api, group_by="agency"):
    """Every public table of the quarter (its months and itself, by every grouping) and the
    hidden cells of the ``group_by`` tables an attacker works out by solving, again and again,
    every sum it knows that has one unknown left: a row's total and its parts, a column's
    total (the same in every grouping of a period), a quarter and its months."""
    periods = [str(p) for p in [QUARTER, *QUARTER.months()]]
    tables = {(g, p): download(api, p, g) for g in GROUPINGS for p in periods}
    known = {(g, p, key, name): value for (g, p), rows in tables.items() for key, row in rows.items()
             for name, value in row.items() if name in COUNTS and value is not None}  # fmt: skip
    hidden = {(g, p, key, name) for (g, p), rows in tables.items() for key, row in rows.items()
              for name in COUNTS if row[name] is None}  # fmt: skip
    equations = []  # (cells, the cell or number they add up to)
    for (g, p), rows in tables.items():
        for key in rows:
            for total, parts in RELATIONS.items():
                equations.append(([(g, p, key, part) for part in parts], (g, p, key, total)))
        for name in COUNTS:
            equations.append(([(g, p, key, name) for key in rows], ("total", p, "", name)))
    for g in GROUPINGS:
        for key in tables[(g, periods[0])]:
            for name in COUNTS:
                months = [(g, m, key, name) for m in periods[1:] if key in tables[(g, m)]]
                equations.append((months, (g, periods[0], key, name)))
    recovered, progress = {}, True
    while progress:
        progress = False
        for cells, total in equations:
            unknown = [cell for cell in cells if cell not in known]
            if total in known and len(unknown) == 1:
                known[unknown[0]] = recovered[unknown[0]] = total_value = known[total] - sum(
                    known[cell] for cell in cells if cell in known)
                progress = progress or total_value is not None
            elif total not in known and not unknown:
                known[total] = recovered[total] = sum(known[cell] for cell in cells)
                progress = True
    group_tables = {p: tables[(group_by, p)] for p in periods}
    found = {cell: value for cell, value in recovered.items() if cell in hidden}
    return group_tables, {cell for cell in hidden if cell[0] == group_by}, found


def test_a_hidden_count_is_not_recovered_by_subtraction_ratio_or_differencing(api):
    """One foreigner's marriage by API in January at Đông Hà, among ordinary months around it."""
    version = published()
    dong_ha, cam_lo = AgencyFactory(), AgencyFactory()
    plain = {"received": 20, "received_online": 12, "received_in_person": 8, "completed_early": 9,
             "completed_on_time": 6, "completed_late": 5, "fees_paid": 12, "paid_online": 7}  # fmt: skip
    for month in MONTHS:
        FigureFactory(day=day_of(month), agency=cam_lo, procedure=version.procedure, **plain)
    FigureFactory(day=day_of(MONTHS[0]), agency=dong_ha, procedure=version.procedure, received=8,
                  received_online=7, received_api=1, withdrawn=1, completed_early=6, completed_late=2,
                  fees_paid=8, paid_online=6)  # two paid at the counter  # fmt: skip
    for month in MONTHS[1:]:
        FigureFactory(day=day_of(month), agency=dong_ha, procedure=version.procedure, **plain)

    tables, hidden, recovered = attack(api)
    january = tables[MONTHS[0]][dong_ha.code]
    assert january["received_api"] is None and january["withdrawn"] is None  # the small counts
    assert january["online_share"] is None  # (7 + 1) / 8 would give the API count back
    assert january["paid_at_counter"] is None and january["paid_online"] is None  # 8 - 6 would give 2 back
    assert january["paid_online_share"] is None
    assert recovered == {}, f"the attacker worked out {recovered}"
    # Complementary cells went too, but most of the figures are still there, ratios included.
    cells = sum(len(rows) for rows in tables.values()) * len(COUNTS)
    assert 4 <= len(hidden) <= cells // 3, (len(hidden), cells)  # two units only: much goes with them
    assert tables[MONTHS[1]][cam_lo.code]["received"] == 20
    assert any(row["on_time_rate"] is not None for rows in tables.values() for row in rows.values())


def test_the_suppression_holds_grouped_by_month_too(api):
    version = published()
    unit = AgencyFactory()
    FigureFactory(day=day_of(MONTHS[0]), agency=unit, procedure=version.procedure, received=10,
                  received_online=10, refused=2)  # fmt: skip
    FigureFactory(day=day_of(MONTHS[2]), agency=unit, procedure=version.procedure, received=10,
                  received_online=10, refused=9)  # fmt: skip
    tables, hidden, recovered = attack(api, group_by="month")
    assert hidden and recovered == {}
    assert download(api, QUARTER, "month")[MONTHS[0]]["refused"] is None  # the quarter does not give it away


def test_only_ended_months_and_quarters_are_published(api):
    wrong = {"from": "2026-01-01", "to": "2026-01-02"}
    answer = api.get("/api/v1/open-data/figures/", wrong)
    assert answer.status_code == 400 and "period=YYYY-MM" in str(answer.json())
    for period in ("2026-13", "2026-Q5", "last week", "2026-1"):
        assert api.get("/api/v1/open-data/figures/", {"period": period}).status_code == 400
    this_month = datetime.date.today().strftime("%Y-%m")
    assert "has not ended" in str(api.get("/api/v1/open-data/figures/", {"period": this_month}).json())
    default = api.get("/api/v1/open-data/figures/").json()["meta"]
    assert default["period"] == str(Period.last_month()) and default["licence"] == "CC-BY-4.0"
    csv = api.get("/api/v1/open-data/figures/", {"period": "2026-Q1", "format": "csv"})
    assert csv.content.decode().splitlines()[0].startswith("key,received,")


def test_an_api_client_reads_the_figures_of_its_own_units_and_procedures_only(api):
    """Review L6: a client restricted to Cam Lộ got every unit's figures."""
    from rest_framework.test import APIClient

    from egov.integrations.clients import issue_key

    version, other_version = published(), published()
    cam_lo, dong_ha = AgencyFactory(), AgencyFactory()
    for unit in (cam_lo, dong_ha):
        for v in (version, other_version):
            FigureFactory(agency=unit, procedure=v.procedure, received=7, received_online=7)
    client = register_client("Cổng Cam Lộ", ["stats:read"], procedures=[version.procedure.code], agencies=[cam_lo])
    reader = APIClient()
    reader.credentials(HTTP_AUTHORIZATION=f"Api-Key {issue_key(client)}")
    window = {"from": "2026-01-01", "to": "2026-01-31"}
    own = reader.get("/api/v1/stats/figures/", {**window, "group_by": "agency"})
    assert own.status_code == 200, own.json()
    assert [row["key"] for row in own.json()["figures"]] == [cam_lo.code]
    assert own.json()["figures"][0]["received"] == 7  # its procedure only
    assert reader.get("/api/v1/stats/figures/", {**window, "agency": dong_ha.code}).status_code == 403
    other = {**window, "procedure": other_version.procedure.code}
    assert reader.get("/api/v1/stats/figures/", other).status_code == 403
