"""The e-form page shows and requires exactly what the server's rules say, for the values two
JSON Logic libraries used to disagree on (an empty number against 0, a choice)."""

import pytest

from egov.catalog import eform
from egov.dossiers.models import Dossier
from tests.factories import DefinitionFactory, commune, draft, text

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_page_follows_the_servers_rules(page_for, demo):
    form = [*DefinitionFactory()["form"],
            {"key": "children", "type": "integer", "label": text("Số con", "Children")},
            {"key": "no_children_note", "type": "text", "label": text("Ghi chú", "Note"), "required": True,
             "visible": {"==": [{"var": "data.children"}, 0]}},
            {"key": "purpose", "type": "choice", "label": text("Mục đích", "Purpose"),
             "choices": [{"value": "work", "label": text("Làm việc", "Work")},
                         {"value": "study", "label": text("Học tập", "Study")}]},
            {"key": "school", "type": "text", "label": text("Trường", "School"),
             "visible": {"==": [{"var": "data.purpose"}, "study"]},
             "required": {"==": [{"var": "data.purpose"}, "study"]}}]  # fmt: skip
    world = commune(form=form)
    started = draft(world, citizen=demo["congdan"])
    spec = Dossier.objects.get(pk=started.pk).spec
    page = page_for("congdan")
    page.goto(f"/my/dossiers/{started.pk}/form/")

    def shown(key):
        return page.locator(f"[data-field={key}]").is_visible()

    def server(values):
        cleaned, _errors = eform.clean(spec, {"full_name": "x", "commune": world.agency.code, **values}, partial=True)
        return eform.field_states(spec, cleaned)

    for typed, values in [("", {}), ("2", {"children": "2"}), ("0", {"children": "0"}), ("", {})]:
        with page.expect_response(lambda r: r.url.endswith("/form/state/")):
            page.fill("#f-children", typed)
        page.wait_for_function("() => document.querySelector('form.eform').hasAttribute('data-states-at')")
        page.wait_for_timeout(100)
        assert shown("no_children_note") is server(values)["no_children_note"][0], typed
    with page.expect_response(lambda r: r.url.endswith("/form/state/")):
        page.select_option("#f-purpose", "study")
    page.wait_for_timeout(100)
    states = server({"purpose": "study", "children": ""})
    assert shown("school") is states["school"][0] is True
    assert page.locator("#f-school").evaluate("e => e.required") is states["school"][1] is True
