"""A procedure administrator's day in a real browser: the province gives households two more
working days to register a business; the administrator finds the procedure in the admin,
copies the version in force into a draft, changes the time limit in the editor, publishes it,
and the citizens' page of the procedure says the new time limit."""

import re

import pytest
from playwright.sync_api import expect

from egov.catalog import selectors
from egov.catalog.definition import summarise_time_limit
from egov.catalog.models import ProcedureVersion

from .conftest import shoot

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_administrator_changes_the_time_limit_and_citizens_read_it(page_for, demo):
    before = selectors.version_in_force("2.000575")
    assert before.spec.time_limit_cases == [{"working_days": 3}]
    citizen = page_for()
    citizen.goto("/procedures/2.000575/")
    expect(citizen.locator("[data-fact=time-limit]")).to_have_text(summarise_time_limit({"working_days": 3}, "en"))

    admin = page_for("quantri")
    admin.goto("/admin/")
    admin.click("a[href='/admin/catalog/procedure/']")
    admin.fill("#searchbar", "2.000575")
    admin.press("#searchbar", "Enter")
    admin.locator("#result_list a", has_text="2.000575").first.click()
    admin.click(f"a[href='/admin/catalog/procedure/version/{before.pk}/edit/']")
    expect(admin.locator("input[name=limits-0-working_days]")).to_have_value("3")
    admin.locator("form[action$='/copy/'] [type=submit]").click()  # a published version never changes
    admin.wait_for_url(re.compile(r"/version/\d+/edit/$"))
    draft = ProcedureVersion.objects.get(procedure__code="2.000575", status=ProcedureVersion.Status.DRAFT)
    assert admin.url.endswith(f"/version/{draft.pk}/edit/") and draft.number == before.number + 1

    admin.fill("input[name=limits-0-working_days]", "5")
    admin.click("input[name=save]")
    admin.wait_for_url(f"**/version/{draft.pk}/edit/")
    expect(admin.locator(".messagelist .success")).to_have_count(1)
    draft.refresh_from_db()
    assert draft.definition["time_limit"] == {"working_days": 5} and draft.status == ProcedureVersion.Status.DRAFT
    shoot(admin, "day-admin-draft")

    admin.click(f"a[href$='/version/{draft.pk}/publish/']")
    admin.locator("form [type=submit].default").click()  # in force from now
    admin.wait_for_url(f"**/version/{draft.pk}/edit/")
    expect(admin.locator(".messagelist .success")).to_have_count(1)
    expect(admin.locator("form[action$='/copy/']")).to_have_count(1)  # read-only now
    shoot(admin, "day-admin-published")
    in_force = selectors.version_in_force("2.000575")
    assert in_force.pk == draft.pk and in_force.status == ProcedureVersion.Status.PUBLISHED
    assert in_force.spec.time_limit_cases == [{"working_days": 5}]
    before.refresh_from_db()
    assert before.effective_to is not None  # the old version stops taking new dossiers

    citizen.reload()
    expect(citizen.locator("[data-fact=time-limit]")).to_have_text(summarise_time_limit({"working_days": 5}, "en"))
    shoot(citizen, "day-admin-citizen-reads")
