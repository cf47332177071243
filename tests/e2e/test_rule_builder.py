"""The procedure editor's rule builder in a real browser (issue 23, item 3): an administrator
builds conditions from the form's own fields, reads them back as sentences, edits one as JSON
Logic, picks an agency from the list, and saves; the definition holds the JSON Logic."""

import json

import pytest

from egov.catalog import selectors, services
from egov.catalog.models import ProcedureVersion

from .conftest import shoot

pytestmark = pytest.mark.django_db(transaction=True)


def field_row(page, key):
    """The editor's row of the form field ``key``."""
    return page.locator("#part-fields tr[data-row]").filter(has=page.locator(f"input[name$='-key'][value='{key}']"))


def test_build_a_condition_save_it_and_read_it_back(page_for, demo):
    draft = services.copy_to_draft(selectors.version_in_force("2.001417"))
    page = page_for("quantri")
    page.goto(f"/admin/catalog/procedure/version/{draft.pk}/edit/")

    # "Number of certificates" is shown when "Filed by" is "An authorised person".
    visible = field_row(page, "copies").locator(".f-visible")
    raw = visible.locator("input.json-rule")
    assert not raw.is_visible()  # the builder stands in for the JSON
    visible.locator(".rb-add").click()
    visible.locator(".rb-field").select_option("data.requested_by")
    assert visible.locator(".rb-op").input_value() == "eq"
    visible.locator(".rb-value").select_option(label="An authorised person")
    said = visible.locator(".rule-sentence").inner_text()
    assert said == "Shown when Filed by is An authorised person."
    assert json.loads(raw.input_value()) == {"==": [{"var": "data.requested_by"}, "authorised"]}

    # Two conditions, either of which will do.
    residence = field_row(page, "residence").locator(".f-visible")
    residence.locator(".rb-add").click()
    residence.locator(".rb-field").select_option("data.is_foreigner")
    residence.locator(".rb-op").select_option("unticked")
    residence.locator(".rb-add").click()
    second = residence.locator(".rb-row").nth(1)
    second.locator(".rb-field").select_option("data.copies")
    second.locator(".rb-op").select_option("ge")
    second.locator(".rb-value").fill("2")
    residence.locator(".rb-group").select_option("or")
    assert residence.locator(".rule-sentence").inner_text() == (
        "Shown when Foreign national is not ticked or Number of certificates is at least 2."
    )

    # An expert writes what the builder cannot show: it says so, and keeps the JSON.
    fees = page.locator("#part-fees tr[data-row]").filter(has=page.locator("input[name$='-code'][value='reduced']"))
    when = fees.locator(".f-when")
    when.locator(".rb-toggle").click()
    assert when.locator("input.json-rule").is_visible()
    when.locator("input.json-rule").fill(
        '{"if": [{"var": "data.lived_abroad"}, false, {"==": [{"var": "data.fee_category"}, "reduced"]}]}'
    )
    assert when.locator(".rb-note").is_visible() and not when.locator(".rb-add").is_visible()
    assert when.locator(".rule-sentence").inner_text() == "Charged when custom rule (JSON Logic)."

    # An agency picked from the list, by its name.
    page.locator(".field-receiving .agency-picker input").fill("000.00.13.H56")
    page.locator(".field-receiving .agency-picker button").click()
    assert page.locator("input[name=general-receiving]").input_value() == "000.00.13.H56"
    assert page.locator("#agency-codes option[value='000.00.13.H56']").count() == 1
    shoot(page, "desktop-admin-rule-builder")

    page.click("input[name=save]")
    page.wait_for_url(f"**/version/{draft.pk}/edit/")
    assert page.locator(".messagelist .success").count() == 1, page.locator(".errornote, .errorlist").all_inner_texts()
    definition = ProcedureVersion.objects.get(pk=draft.pk).definition
    form = {field["key"]: field for field in definition["form"]}
    assert form["copies"]["visible"] == {"==": [{"var": "data.requested_by"}, "authorised"]}
    assert form["residence"]["visible"] == {"or": [{"!": {"var": "data.is_foreigner"}},
                                                   {">=": [{"var": "data.copies"}, 2]}]}  # fmt: skip
    reduced = next(fee for fee in definition["fees"] if fee["code"] == "reduced")
    assert reduced["when"]["if"][0] == {"var": "data.lived_abroad"}
    assert definition["agencies"]["receiving"] == ["000.00.13.H56"]

    # The page after saving: the server says the same sentences, and the builder shows the rules again.
    visible = field_row(page, "copies").locator(".f-visible")
    assert visible.locator(".rule-sentence").inner_text() == said
    assert (
        visible.locator(".rb-value").input_value() is not None and not visible.locator("input.json-rule").is_visible()
    )
    assert visible.locator(".rb-field").input_value() == "data.requested_by"
    shoot(page, "desktop-admin-rule-builder-saved")
