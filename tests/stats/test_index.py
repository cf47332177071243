"""The national service index (issue 26, item 2): each indicator a share times its points,
what the product cannot measure shown as not measured (never zero), per unit as the receiving
or the deciding unit, with the dossiers behind each share."""

import pytest
from django.test import Client
from django.utils import timezone

from egov.common.vocabulary import Role
from egov.stats.index import GROUPS, INDICATORS, score
from egov.stats.periods import Period
from egov.stats.selectors import figures, in_progress
from tests.factories import AgencyFactory, commune, officer, submitted

pytestmark = pytest.mark.django_db


def this_month():
    today = timezone.localdate()
    return Period(today.year, month=today.month)


def component(index, key):
    return next(c for group in index["groups"] for c in group["components"] if c["key"] == key)


def test_the_groups_are_the_decisions_and_their_indicators_add_up_to_them():
    assert sum(top for top, _name in GROUPS.values()) == 100
    for key, (top, _name) in GROUPS.items():
        assert sum(i.max_points for i in INDICATORS if i.group == key) == top


def test_a_communes_month_scored(activity):
    """Six dossiers through to the result and rated 4 of 5, one asked to supplement, one withdrawn."""
    index = score(this_month(), activity.agency)
    on_time = component(index, "on_time")
    assert (on_time["numerator"], on_time["denominator"], on_time["points"]) == (6, 6, 20)
    assert (component(index, "online_filing")["numerator"], component(index, "online_filing")["denominator"]) == (8, 8)
    assert component(index, "fully_online")["points"] == 6  # its one procedure is offered fully online
    assert component(index, "satisfied")["points"] == 18
    assert component(index, "online_payment")["points"] is None  # measured, but no fee was paid
    for unmeasured in ("publicity", "digitisation"):
        found = component(index, unmeasured)
        assert found["measured"] is False and found["points"] is None and found["not_measured_because"]
    assert index["total"] == {"points": 52, "max_points": 100, "measured_max_points": 60}
    empty = score(Period(2020, quarter=1), activity.agency)  # nothing then: no score, not zero
    assert empty["total"]["points"] is None and component(empty, "on_time")["points"] is None


def test_the_dossiers_behind_a_share_and_the_api(activity):
    manager = Client()
    manager.force_login(activity.manager)
    period = str(this_month())
    page = manager.get("/dashboard/index/", {"agency": activity.agency.code, "period": period})
    assert page.status_code == 200
    assert b'data-indicator="digitisation"' in page.content and page.context["index"]["total"]["points"] == 52
    behind = manager.get("/dashboard/index/dossiers/", {"agency": activity.agency.code, "period": period,
                                                        "behind": "completed"})  # fmt: skip
    assert behind.status_code == 200 and len(behind.context["dossiers"]) == behind.context["count"] == 6
    assert manager.get("/dashboard/index/dossiers/", {"agency": activity.agency.code, "behind": "x"}).status_code == 404
    answer = manager.get("/api/v1/stats/index/", {"agency": activity.agency.code, "period": period}).json()
    assert answer["total"]["points"] == 52 and {g["key"] for g in answer["groups"]} == set(GROUPS)
    assert manager.get("/api/v1/stats/index/", {"agency": activity.agency.code, "period": "x"}).status_code == 400
    assert manager.get("/api/v1/stats/index/", {"agency": activity.agency.code, "period": period,
                                                "role": "x"}).status_code == 400  # fmt: skip
    elsewhere = AgencyFactory()
    assert manager.get("/dashboard/index/", {"agency": elsewhere.code}).status_code == 403
    assert manager.get("/api/v1/stats/index/", {"agency": elsewhere.code, "period": period}).status_code == 403


def test_a_department_has_the_figures_of_what_it_decides(django_capture_on_commit_callbacks):
    """A commune receives, a department decides: each has its own figures."""
    department, unit = AgencyFactory(level="province"), AgencyFactory()
    world = commune(unit, agencies={"deciding": {"code": department.code}, "receiving": [unit.code]})
    officer(Role.CENTER_MANAGER, department)
    with django_capture_on_commit_callbacks(execute=True):
        dossiers = [submitted(world) for _ in range(3)]
    assert {d.receiving_agency_id for d in dossiers} == {world.agency.pk}
    assert {d.deciding_agency_id for d in dossiers} == {department.pk}
    today = timezone.localdate()
    assert figures(today, today, department)["received"] == 0  # it received nothing
    assert figures(today, today, department, role="deciding")["received"] == 3
    assert figures(today, today, world.agency)["received"] == 3
    assert figures(today, today, world.agency, role="deciding")["received"] == 0
    assert in_progress(department, role="deciding")["in_progress"] == 3
    by_unit = figures(today, today, group_by="agency", role="deciding")
    assert [(row["key"], row["received"]) for row in by_unit] == [(department.code, 3)]
    index = score(this_month(), department, role="deciding")
    assert component(index, "online_filing")["denominator"] == 3
