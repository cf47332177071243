"""The structured editor, driven as an administrator would (through the admin's pages)."""

import json

import pytest
from django.test import Client

from egov.catalog import services
from egov.catalog.editor.forms import PARTS, initial_data
from egov.catalog.format import normalise
from egov.catalog.models import Procedure, ProcedureVersion

DEMO = ["1.001193", "1.000894", "1.000656", "2.000908", "2.001417", "2.000575", "1.009994"]


def canonical(definition):
    """The definition without values that only restate the format's defaults."""
    d = normalise(definition)
    if d["agencies"].get("receiving") == "any":
        d["agencies"].pop("receiving")
    for doc in d["documents"]:
        if doc.get("quantity") == 1:
            doc.pop("quantity")
    return d


def as_post(definition, change=None):
    """The editor's form data for ``definition``, as the browser would send it back."""
    general, parts = initial_data(definition)
    data = {}
    for key, value in general.items():
        put(data, f"general-{key}", value)
    for name, rows in parts.items():
        data[f"{name}-TOTAL_FORMS"] = str(len(rows))
        data[f"{name}-INITIAL_FORMS"] = str(len(rows))
        for index, row in enumerate(rows):
            data[f"{name}-{index}-ORDER"] = str(index + 1)
            for key, value in row.items():
                if not key.startswith("_"):
                    put(data, f"{name}-{index}-{key}", value)
    if change:
        change(data)
    return data


def put(data, key, value):
    if isinstance(value, bool):
        if value:
            data[key] = "on"
    elif isinstance(value, list):
        data[key] = value
    elif isinstance(value, dict):
        data[key] = json.dumps(value, ensure_ascii=False)
    elif value is not None:
        data[key] = str(value)


@pytest.fixture
def admin_client(demo):
    client = Client()
    client.force_login(demo["quantri"])
    return client


def draft_of(code):
    published = ProcedureVersion.objects.filter(procedure__code=code, status="published").order_by("-number").first()
    return services.copy_to_draft(published)


@pytest.mark.parametrize("code", DEMO)
def test_editing_without_changes_keeps_the_definition(admin_client, code):
    draft = draft_of(code)
    before = canonical(draft.definition)
    page = admin_client.get(f"/admin/catalog/procedure/version/{draft.pk}/edit/")
    assert page.status_code == 200 and "general-name_vi" in page.content.decode()
    answer = admin_client.post(f"/admin/catalog/procedure/version/{draft.pk}/edit/", as_post(draft.definition))
    assert answer.status_code == 302, answer.content.decode()[:3000]
    draft.refresh_from_db()
    assert canonical(draft.definition) == before


def test_structured_changes_are_saved(admin_client):
    draft = draft_of("2.000575")

    def change(data):
        n = int(data["fees-TOTAL_FORMS"])
        data["fees-TOTAL_FORMS"] = str(n + 1)
        data.update({f"fees-{n}-code": "express", f"fees-{n}-name_vi": "Phí làm nhanh", f"fees-{n}-amount": "50000",
                     f"fees-{n}-when": '{"var": "data.members_register"}', f"fees-{n}-ORDER": str(n + 1)})
        data["limits-0-working_days"] = "4"
        data["documents-0-ORDER"], data["documents-1-ORDER"] = "2", "1"

    answer = admin_client.post(f"/admin/catalog/procedure/version/{draft.pk}/edit/", as_post(draft.definition, change))
    draft.refresh_from_db()
    if answer.status_code == 302:
        assert draft.definition["fees"][-1]["when"] == {"var": "data.members_register"}
        assert draft.definition["time_limit"] == {"working_days": 4}
        assert [d["key"] for d in draft.definition["documents"]][:2] == ["owner_id", "application"]
    else:
        pytest.fail(answer.content.decode()[:2000])


def test_a_step_order_that_breaks_the_rules_is_refused(admin_client):
    draft = draft_of("2.000575")
    before = draft.checksum

    def approve_first(data):
        data["steps-0-ORDER"], data["steps-1-ORDER"] = "2", "1"

    answer = admin_client.post(f"/admin/catalog/procedure/version/{draft.pk}/edit/", as_post(draft.definition,
                                                                                         approve_first))  # fmt: skip
    assert answer.status_code == 400 and "no previous step to go back to" in answer.content.decode()
    draft.refresh_from_db()
    assert draft.checksum == before


def test_errors_are_shown_and_nothing_is_saved(admin_client):
    draft = draft_of("2.000575")
    before = draft.checksum
    data = as_post(draft.definition, lambda d: d.update({"steps-1-role": "clerk", "steps-1-at": "000.99.99.H56"}))
    answer = admin_client.post(f"/admin/catalog/procedure/version/{draft.pk}/edit/", data)
    assert answer.status_code == 400
    assert "steps[1]" in answer.content.decode()
    draft.refresh_from_db()
    assert draft.checksum == before


def test_published_versions_are_read_only_and_copy_makes_a_draft(admin_client):
    published = ProcedureVersion.objects.get(procedure__code="2.000575", status="published")
    before = published.checksum
    page = admin_client.get(f"/admin/catalog/procedure/version/{published.pk}/edit/").content.decode()
    assert "never changes" in page
    admin_client.post(f"/admin/catalog/procedure/version/{published.pk}/edit/", as_post(published.definition))
    published.refresh_from_db()
    assert published.checksum == before
    answer = admin_client.post(f"/admin/catalog/procedure/version/{published.pk}/copy/")
    draft = ProcedureVersion.objects.get(procedure__code="2.000575", status="draft")
    assert draft.number == published.number + 1 and answer["Location"].endswith(f"/version/{draft.pk}/edit/")


def test_create_preview_publish(admin_client):
    answer = admin_client.post("/admin/catalog/procedure/new/", {"code": "1.999001", "name": "Thủ tục thử",
                                                                 "sector_code": "TEST", "sector_name": "Thử",
                                                                 "level": "commune"})  # fmt: skip
    assert answer.status_code == 302
    draft = ProcedureVersion.objects.get(procedure__code="1.999001")
    preview = admin_client.get(f"/admin/catalog/procedure/version/{draft.pk}/preview/").content.decode()
    assert "Họ và tên" in preview and "Đơn đề nghị" in preview
    admin_client.post(f"/admin/catalog/procedure/version/{draft.pk}/publish/")
    draft.refresh_from_db()
    assert draft.status == "published"
    assert Procedure.objects.filter(code="1.999001").exists()


def test_only_procedure_administrators(demo):
    officer = Client()
    officer.force_login(demo["tiepnhan.dongha"])
    draft = draft_of("2.000575")
    assert officer.get(f"/admin/catalog/procedure/version/{draft.pk}/edit/").status_code in (302, 403)
    assert officer.post("/admin/catalog/procedure/new/", {"code": "1.999002"}).status_code in (302, 403)


def test_parts_cover_the_format():
    assert set(PARTS) == {"limits", "laws", "fees", "documents", "fields", "steps"}
