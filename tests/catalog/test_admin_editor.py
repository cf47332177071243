"""The catalogue admin and its structured editor, driven as an administrator would: the pages
are fetched, their forms read back as a browser would submit them, changed and posted."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.translation import gettext

from egov.accounts.models import User
from egov.agencies.models import Agency
from egov.catalog import selectors, services
from egov.catalog.editor.forms import PARTS
from egov.catalog.format import normalise
from egov.catalog.models import Procedure, ProcedureVersion
from egov.common.vocabulary import Role
from tests.factories import AgencyFactory, demo_procedure, officer, published
from tests.forms import FormReader, read_form

pytestmark = pytest.mark.django_db

# The demo procedures (egov/catalog/demo_procedures), realistic input for the editor: code → file(s).
DEMO_FILES = {
    "1.001193": ["birth-registration.yaml"],
    "1.000894": ["marriage-registration.yaml"],
    "1.000656": ["death-registration.yaml"],
    "2.000908": ["copy-from-master-register.yaml"],
    "2.001417": ["criminal-record-certificate.yaml"],
    "2.000575": ["household-business-registration.yaml"],
    "1.009994": ["building-permit-1-2014.yaml", "building-permit-2-2026.yaml"],  # two versions, 2014 and 2026 law
}
DEMO = list(DEMO_FILES)
ADMIN = "/admin/catalog/procedure"


def read_disabled(html, form_id="editor"):
    reader = FormReader(form_id)
    reader.feed(html)
    return reader.disabled


def add_row(data, part, values):
    """Fill in a new row of a formset (what "Add a row" does), placed last unless ORDER is given."""
    index = int(data[f"{part}-TOTAL_FORMS"])
    orders = [int(v) for k, v in data.items() if k.startswith(f"{part}-") and k.endswith("-ORDER") and v]
    data[f"{part}-TOTAL_FORMS"] = str(index + 1)
    data[f"{part}-{index}-ORDER"] = str(max(orders, default=0) + 1)
    for key, value in values.items():
        data[f"{part}-{index}-{key}"] = value
    return index


def row_of(data, part, field, value):
    """The index of the row of ``part`` whose ``field`` is ``value``."""
    for key, current in data.items():
        if key.startswith(f"{part}-") and key.endswith(f"-{field}") and current == value:
            return int(key.split("-")[1])
    raise KeyError(value)


def section(answer, name):
    return next(s for s in answer.context["sections"] if s["name"] == name)


# --- fixtures -------------------------------------------------------------------------------


def in_force(code):
    """The demo procedure ``code`` in force, published from its file(s) (tests.factories.demo_procedure)
    the first time it is asked for."""
    version = selectors.version_in_force(code)
    if version is None:
        assert not Procedure.objects.filter(code=code).exists(), f"{code} is there but not in force"
        for filename in DEMO_FILES[code]:
            version = demo_procedure(filename)
    return version


@pytest.fixture
def admin_client():
    """The province's administrator: a superuser who also administers procedures."""
    province = AgencyFactory(level=Agency.Level.PROVINCE)
    user = officer(Role.PROCEDURE_ADMIN, province, is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


def draft_of(code):
    published = in_force(code)
    return services.copy_to_draft(published)


def editor_url(version):
    return f"{ADMIN}/version/{version.pk}/edit/"


def editor_form(client, version):
    page = client.get(editor_url(version))
    assert page.status_code == 200
    return read_form(page.content.decode())


def canonical(definition):
    """The definition without values that only restate the format's defaults."""
    d = normalise(definition)
    if d["agencies"].get("receiving") == "any":
        d["agencies"].pop("receiving")
    for doc in d["documents"]:
        if doc.get("quantity") == 1:
            doc.pop("quantity")
    return d


# --- round trip -----------------------------------------------------------------------------


@pytest.mark.parametrize("code", DEMO)
def test_saving_the_page_unchanged_keeps_the_definition(admin_client, code):
    draft = draft_of(code)
    before = canonical(draft.definition)
    data = editor_form(admin_client, draft)
    assert "general-name_vi" in data and "steps-TOTAL_FORMS" in data
    answer = admin_client.post(editor_url(draft), {**data, "save": "1"})
    assert answer.status_code == 302, answer.content.decode()[:3000]
    draft.refresh_from_db()
    assert canonical(draft.definition) == before


def test_the_definition_is_never_one_raw_json_box(admin_client):
    draft = draft_of("2.001417")
    page = admin_client.get(editor_url(draft)).content.decode()
    assert 'name="definition"' not in page
    assert "&quot;documents&quot;" not in page and '"documents":' not in page  # no serialized definition
    assert set(PARTS) == {"limits", "laws", "fees", "documents", "fields", "steps", "step_fields"}


# --- creating a procedure -------------------------------------------------------------------


def test_create_a_procedure_then_edit_preview_and_publish(admin_client):
    assert admin_client.get(f"{ADMIN}/").status_code == 200
    assert "/admin/catalog/procedure/new/" in admin_client.get(f"{ADMIN}/").content.decode()
    assert admin_client.get(f"{ADMIN}/new/").status_code == 200
    answer = admin_client.post(f"{ADMIN}/new/", {"code": "1.999001", "name": "Thủ tục thử", "name_en": "Trial",
                                                 "sector_code": "THU", "sector_name": "Thử nghiệm",
                                                 "level": "commune"})  # fmt: skip
    assert answer.status_code == 302
    draft = ProcedureVersion.objects.get(procedure__code="1.999001")
    assert answer["Location"] == editor_url(draft)
    assert draft.number == 1 and draft.is_draft and draft.sector.code == "THU"
    services.check_definition(draft.definition)  # a valid starter
    assert admin_client.get(answer["Location"]).status_code == 200

    preview = admin_client.get(f"{ADMIN}/version/{draft.pk}/preview/", {"lang": "vi"}).content.decode()
    assert "Họ và tên" in preview and "Đơn đề nghị" in preview

    publish_page = admin_client.get(f"{ADMIN}/version/{draft.pk}/publish/")
    assert publish_page.status_code == 200 and 'name="effective_from"' in publish_page.content.decode()
    answer = admin_client.post(f"{ADMIN}/version/{draft.pk}/publish/", {"effective_from": ""})
    assert answer.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published" and draft.in_force_at()
    assert selectors.version_in_force("1.999001") == draft


def test_create_a_province_procedure_needs_the_deciding_agency(admin_client):
    in_force("2.001417")
    sector = ProcedureVersion.objects.get(procedure__code="2.001417", number=1).sector
    refused = admin_client.post(f"{ADMIN}/new/", {"code": "2.999002", "name": "Thủ tục tỉnh", "sector": sector.pk,
                                                  "level": "province"})  # fmt: skip
    assert refused.status_code == 400 and not Procedure.objects.filter(code="2.999002").exists()
    assert refused.context["form"].errors["deciding"]
    taken = admin_client.post(f"{ADMIN}/new/", {"code": "2.001417", "name": "x", "sector": sector.pk,
                                                "level": "commune"})  # fmt: skip
    assert taken.status_code == 400 and taken.context["form"].errors["code"]
    department = AgencyFactory(level=Agency.Level.DEPARTMENT)
    answer = admin_client.post(f"{ADMIN}/new/", {"code": "2.999002", "name": "Thủ tục tỉnh", "sector": sector.pk,
                                                 "level": "province", "deciding": department.pk})  # fmt: skip
    assert answer.status_code == 302
    draft = ProcedureVersion.objects.get(procedure__code="2.999002")
    assert draft.definition["agencies"]["deciding"] == {"code": department.code}
    assert draft.sector == sector


# --- editing a draft ------------------------------------------------------------------------


def test_structured_changes_are_saved(admin_client):
    draft = draft_of("2.000575")  # steps: appraise, approve, issue; time limit 3 working days
    data = editor_form(admin_client, draft)
    # A fee with a condition.
    add_row(data, "fees", {"code": "express", "name_vi": "Phí làm nhanh", "name_en": "Express fee",
                           "amount": "50000", "when": '{"var": "data.members_register"}'})  # fmt: skip
    # A conditional document.
    add_row(data, "documents", {"key": "lease", "name_vi": "Hợp đồng thuê nhà", "name_en": "Lease", "kind": "copy",
                                "quantity": "2", "required_mode": "when",
                                "required_rule": '{"var": "data.members_register"}', "file_types": "pdf",
                                "max_mb": "5"})  # fmt: skip
    # The first two documents swap places.
    first, second = row_of(data, "documents", "key", "application"), row_of(data, "documents", "key", "owner_id")
    data[f"documents-{first}-ORDER"], data[f"documents-{second}-ORDER"] = "2", "1"
    # A new step "review", placed between appraise and approve; the later steps move down.
    for key, position in (("appraise", 1), ("approve", 3), ("issue", 4)):
        data[f"steps-{row_of(data, 'steps', 'key', key)}-ORDER"] = str(position)
    index = add_row(data, "steps", {"key": "review", "name_vi": "Xem xét", "role": "reviewer", "at": "deciding",
                                    "outcomes": ["forward", "send_back"]})  # fmt: skip
    data[f"steps-{index}-ORDER"] = "2"
    # An officer's field at the new step.
    add_row(data, "step_fields", {"step": "review", "key": "review_note", "type": "textarea",
                                  "label_vi": "Ý kiến xem xét", "required_mode": "yes"})  # fmt: skip
    # The time limit becomes two cases.
    data["limits-0-working_days"] = "4"
    add_row(data, "limits", {"when": '{"var": "data.members_register"}', "working_days": "5"})
    data["limits-1-ORDER"], data["limits-0-ORDER"] = "1", "2"
    # A text field with a pattern.
    add_row(data, "fields", {"key": "shop_sign", "type": "text", "label_vi": "Biển hiệu", "required_mode": "no",
                             "max_length": "50", "pattern": "[A-Z ]+"})  # fmt: skip

    answer = admin_client.post(editor_url(draft), {**data, "save": "1"})
    assert answer.status_code == 302, answer.content.decode()[:3000]
    d = ProcedureVersion.objects.get(pk=draft.pk).definition
    assert d["fees"][-1] == {"code": "express", "name": {"vi": "Phí làm nhanh", "en": "Express fee"}, "amount": 50000,
                             "when": {"var": "data.members_register"}}  # fmt: skip
    assert [doc["key"] for doc in d["documents"]] == ["owner_id", "application", "members_minutes", "lease"]
    assert d["documents"][-1] == {"key": "lease", "name": {"vi": "Hợp đồng thuê nhà", "en": "Lease"}, "kind": "copy",
                                  "quantity": 2, "required": {"var": "data.members_register"}, "file_types": ["pdf"],
                                  "max_mb": 5}  # fmt: skip
    assert [s["key"] for s in d["steps"]] == ["appraise", "review", "approve", "issue"]
    assert d["steps"][1]["form"] == [{"key": "review_note", "type": "textarea", "label": "Ý kiến xem xét",
                                      "required": True}]  # fmt: skip
    assert d["time_limit"] == [{"when": {"var": "data.members_register"}, "working_days": 5}, {"working_days": 4}]
    assert d["form"][-1] == {"key": "shop_sign", "type": "text", "label": "Biển hiệu", "max_length": 50,
                             "pattern": "[A-Z ]+"}  # fmt: skip
    # The page shows it back as saved, in the new order.
    again = editor_form(admin_client, draft)
    assert again["steps-1-key"] == "review" and again["step_fields-0-step"] == "review"


def test_deleting_a_row(admin_client):
    draft = draft_of("2.001417")
    data = editor_form(admin_client, draft)
    data[f"fees-{row_of(data, 'fees', 'code', 'reduced')}-DELETE"] = "on"
    assert admin_client.post(editor_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert [fee["code"] for fee in draft.definition["fees"]] == ["standard"]


def test_a_bad_role_is_shown_on_its_row_and_nothing_is_saved(admin_client):
    draft = draft_of("2.000575")
    before = draft.checksum
    data = editor_form(admin_client, draft)
    approve = row_of(data, "steps", "key", "approve")
    data[f"steps-{approve}-role"] = "aprover"  # not a role
    answer = admin_client.post(editor_url(draft), data)
    assert answer.status_code == 400
    assert section(answer, "steps")["formset"].forms[approve].errors["role"]
    draft.refresh_from_db()
    assert draft.checksum == before


def test_validator_errors_land_on_their_rows(admin_client):
    draft = draft_of("1.009994")  # has a consultation step
    before = draft.checksum
    data = editor_form(admin_client, draft)
    consult = next(int(k.split("-")[1]) for k, v in data.items() if k.endswith("-consult") and v)
    health = AgencyFactory(level=Agency.Level.DEPARTMENT)
    data[f"steps-{consult}-consult"] = f"{health.code}, aprover"  # an unknown role in a consultation
    appraise = next(int(k.split("-")[1]) for k, v in data.items() if k.endswith("-role") and v == "case_officer")
    data[f"steps-{appraise}-at"] = "000.99.99.H56"  # no such unit
    fee = add_row(data, "fees", {"code": "odd", "name_vi": "Phí lạ", "amount": "1", "when": '{"var": "data.nope"}'})
    data["general-result_template"] = "generic-result"
    answer = admin_client.post(editor_url(draft), {**data, "save": "1"})
    assert answer.status_code == 400
    steps = section(answer, "steps")["formset"].forms
    assert steps[consult].errors["consult"] == ["consult[0].role: unknown role 'aprover'"]
    assert "000.99.99.H56" in steps[appraise].errors["at"][0]
    assert "data.nope" in section(answer, "fees")["formset"].forms[fee].errors["when"][0]
    page = answer.content.decode()
    assert "unknown role &#x27;aprover&#x27;" in page and "errorlist" in page
    draft.refresh_from_db()
    assert draft.checksum == before


def test_list_wide_and_general_errors(admin_client):
    draft = draft_of("2.000575")
    data = editor_form(admin_client, draft)
    data[f"steps-{row_of(data, 'steps', 'key', 'approve')}-budget_hours"] = "400"  # more than the time limit
    data["general-deciding_field"] = "owner_name"  # not a field of type agency
    answer = admin_client.post(editor_url(draft), data)
    assert answer.status_code == 400
    assert any("more than the time limit" in p for p in section(answer, "steps")["problems"])
    assert "not of type agency" in str(answer.context["general"].errors["deciding_field"])


def test_bad_json_in_a_condition(admin_client):
    draft = draft_of("2.000575")
    before = draft.checksum
    data = editor_form(admin_client, draft)
    add_row(data, "fees", {"code": "x", "name_vi": "X", "amount": "1", "when": "{var: data}"})
    answer = admin_client.post(editor_url(draft), data)
    assert answer.status_code == 400 and "Not valid JSON" in answer.content.decode()
    draft.refresh_from_db()
    assert draft.checksum == before


def test_step_fields_must_name_a_step(admin_client):
    draft = draft_of("1.001193")
    data = editor_form(admin_client, draft)
    index = add_row(data, "step_fields", {"step": "nowhere", "key": "note", "type": "text", "label_vi": "Ghi chú",
                                          "required_mode": "no"})  # fmt: skip
    answer = admin_client.post(editor_url(draft), data)
    assert answer.status_code == 400
    assert section(answer, "step_fields")["formset"].forms[index].errors["step"]


def test_validate_checks_without_saving(admin_client):
    draft = draft_of("2.000575")
    before = draft.checksum
    data = editor_form(admin_client, draft)
    data["general-name_vi"] = "Tên mới"
    ok = admin_client.post(editor_url(draft), {**data, "validate": "1"})
    assert ok.status_code == 200 and "The definition is valid" in ok.content.decode()
    assert 'value="Tên mới"' in ok.content.decode()  # the page keeps what was typed
    draft.refresh_from_db()
    assert draft.checksum == before
    data[f"steps-{row_of(data, 'steps', 'key', 'appraise')}-at"] = "somewhere"
    bad = admin_client.post(editor_url(draft), {**data, "validate": "1"})
    assert bad.status_code == 400 and "neither deciding, receiving nor a unit code" in bad.content.decode()
    draft.refresh_from_db()
    assert draft.checksum == before


def test_user_text_is_escaped(admin_client):
    draft = draft_of("2.000575")
    data = editor_form(admin_client, draft)
    data["general-name_vi"] = "<script>alert(1)</script>"
    data[f"fields-{row_of(data, 'fields', 'key', 'owner_name')}-help_vi"] = "<b>bold</b>"
    assert admin_client.post(editor_url(draft), data).status_code == 302
    for url in (editor_url(draft), f"{ADMIN}/version/{draft.pk}/preview/?lang=vi"):
        page = admin_client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "<b>bold</b>" not in page


# --- preview --------------------------------------------------------------------------------


def test_preview_shows_the_citizen_form(admin_client):
    version = in_force("2.001417")
    page = admin_client.get(f"{ADMIN}/version/{version.pk}/preview/", {"lang": "vi"})
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("Người được cấp Phiếu", "Họ và tên", "Số hộ chiếu", "Phiếu lý lịch tư pháp số 1",
                 "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "Văn bản ủy quyền", "200.000"):
        assert text in html or text.replace(".", ",") in html, text
    rows = {row["key"]: row for row in page.context["rows"]}
    assert rows["full_name"]["is_required"] and rows["passport"]["is_conditional"]
    assert rows["passport"]["is_conditionally_shown"] and not rows["full_name"]["is_conditionally_shown"]
    documents = {d["name"]: d for d in page.context["documents"]}
    assert documents["Văn bản ủy quyền"]["required"] not in (True, False)
    assert gettext("required in some cases") in html and gettext("shown in some cases") in html
    english = admin_client.get(f"{ADMIN}/version/{version.pk}/preview/", {"lang": "en"}).content.decode()
    assert "Passport number" in english and "Criminal record fee" in english


# --- publishing -----------------------------------------------------------------------------


def test_publish_from_a_later_day(admin_client):
    old = in_force("2.000575")
    draft = draft_of("2.000575")
    day = timezone.localdate() + datetime.timedelta(days=10)
    refused = admin_client.post(f"{ADMIN}/version/{draft.pk}/publish/",
                                {"effective_from": (timezone.localdate() - datetime.timedelta(days=1)).isoformat()})
    assert refused.status_code == 400
    draft.refresh_from_db()
    assert draft.is_draft
    answer = admin_client.post(f"{ADMIN}/version/{draft.pk}/publish/", {"effective_from": day.isoformat()})
    assert answer.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "published" and draft.definition["effective_from"] == day.isoformat()
    assert timezone.localtime(draft.effective_from).date() == day
    assert selectors.version_in_force("2.000575") == old  # the old version until then
    assert draft.effective_from > timezone.now() and str(draft.state_label()) == gettext("Scheduled")
    assert str(old.state_label()) == gettext("In force")


def test_a_definition_that_became_invalid_is_not_published(admin_client):
    draft = draft_of("2.000575")
    department = AgencyFactory(level=Agency.Level.DEPARTMENT)
    definition = dict(draft.definition, agencies={"deciding": {"code": department.code}})
    services.update_draft(draft, definition)
    Agency.objects.filter(code=department.code).update(active=False)
    page = admin_client.get(f"{ADMIN}/version/{draft.pk}/publish/")
    assert department.code in page.content.decode()
    answer = admin_client.post(f"{ADMIN}/version/{draft.pk}/publish/", {"effective_from": ""})
    assert answer.status_code == 400
    draft.refresh_from_db()
    assert draft.is_draft


# --- published versions are read-only; copy to draft ------------------------------------------


def test_published_versions_are_read_only(admin_client):
    published = in_force("2.000575")
    before = published.checksum
    page = admin_client.get(editor_url(published))
    html = page.content.decode()
    assert page.status_code == 200 and "never changes" in html
    assert 'name="save"' not in html and 'name="validate"' not in html
    disabled = read_disabled(html)
    assert "general-name_vi" in disabled and "steps-0-role" in disabled
    assert not [key for key in read_form(html) if key.startswith("general-") or key.endswith(("-key", "-role"))]
    # A hand-made POST changes nothing.
    draft = draft_of("2.000575")
    data = editor_form(admin_client, draft)
    data["general-name_vi"] = "Đổi tên"
    answer = admin_client.post(editor_url(published), {**data, "save": "1"})
    assert answer.status_code == 409
    published.refresh_from_db()
    assert published.checksum == before and published.name != "Đổi tên"
    assert admin_client.post(f"{ADMIN}/version/{published.pk}/publish/", {"effective_from": ""}).status_code == 409
    assert admin_client.get(f"{ADMIN}/version/{published.pk}/publish/").status_code == 302
    published.refresh_from_db()
    assert published.checksum == before and published.published_at is not None


def test_retired_versions_are_read_only_too(admin_client):
    in_force("1.009994")
    old = ProcedureVersion.objects.filter(procedure__code="1.009994").order_by("number").first()
    assert old.status in ("published", "retired")
    if old.status == "published":
        old = services.retire_version(old)
    before = old.checksum
    assert admin_client.post(editor_url(old), {"general-name_vi": "x"}).status_code == 409
    old.refresh_from_db()
    assert old.checksum == before


def test_copy_a_published_version_into_a_new_draft(admin_client):
    published = in_force("2.000575")
    latest = ProcedureVersion.objects.filter(procedure__code="2.000575").order_by("-number").first()
    answer = admin_client.post(f"{ADMIN}/version/{published.pk}/copy/")
    draft = ProcedureVersion.objects.filter(procedure__code="2.000575").order_by("-number").first()
    assert draft.number == latest.number + 1 and draft.is_draft
    assert answer.status_code == 302 and answer["Location"] == editor_url(draft)
    assert canonical(draft.definition) == canonical({k: v for k, v in published.definition.items()
                                                     if k != "effective_from"})  # fmt: skip
    assert admin_client.get(f"{ADMIN}/version/{published.pk}/copy/").status_code == 405
    # A draft is edited, not copied.
    count = ProcedureVersion.objects.filter(procedure__code="2.000575").count()
    again = admin_client.post(f"{ADMIN}/version/{draft.pk}/copy/")
    assert again.status_code == 302 and again["Location"] == editor_url(draft)
    assert ProcedureVersion.objects.filter(procedure__code="2.000575").count() == count


def test_retire_a_published_version_after_confirming(admin_client):
    published = in_force("2.000575")
    page = admin_client.get(editor_url(published)).content.decode()
    assert f"{ADMIN}/version/{published.pk}/retire/" in page and "/delete/" not in page
    confirm = admin_client.get(f"{ADMIN}/version/{published.pk}/retire/")
    assert confirm.status_code == 200 and "takes no new dossiers" in confirm.content.decode()
    published.refresh_from_db()
    assert published.status == "published"  # looking at the question changes nothing
    answer = admin_client.post(f"{ADMIN}/version/{published.pk}/retire/")
    assert answer.status_code == 302 and answer["Location"] == editor_url(published)
    published.refresh_from_db()
    assert published.status == "retired" and selectors.version_in_force("2.000575") is None
    # Once retired, no retire link and a second retire is refused without change.
    assert f"/version/{published.pk}/retire/" not in admin_client.get(editor_url(published)).content.decode()
    assert admin_client.post(f"{ADMIN}/version/{published.pk}/retire/").status_code == 302
    # Someone who is not a procedure administrator cannot.
    officer_client = logged_in(desk_officer())
    draft_published = services.publish_version(services.copy_to_draft(published))
    assert officer_client.post(f"{ADMIN}/version/{draft_published.pk}/retire/").status_code in (302, 403)
    draft_published.refresh_from_db()
    assert draft_published.status == "published"


def test_delete_a_draft_after_confirming(admin_client):
    draft = draft_of("2.000575")
    published = selectors.version_in_force("2.000575")
    page = admin_client.get(editor_url(draft)).content.decode()
    assert f"{ADMIN}/version/{draft.pk}/delete/" in page
    assert admin_client.get(f"{ADMIN}/version/{draft.pk}/delete/").status_code == 200
    assert ProcedureVersion.objects.filter(pk=draft.pk).exists()
    answer = admin_client.post(f"{ADMIN}/version/{draft.pk}/delete/")
    assert answer.status_code == 302 and answer["Location"] == f"{ADMIN}/"
    assert not ProcedureVersion.objects.filter(pk=draft.pk).exists()
    # A published version is never deleted this way.
    assert admin_client.post(f"{ADMIN}/version/{published.pk}/delete/").status_code == 302
    assert ProcedureVersion.objects.filter(pk=published.pk).exists()


# --- the rest of the admin ------------------------------------------------------------------


def test_admin_pages_of_the_catalogue(admin_client):
    in_force("1.009994")
    for url in ("/admin/catalog/sector/", "/admin/catalog/procedure/", "/admin/catalog/procedureversion/",
                "/admin/catalog/procedurefile/", "/admin/catalog/"):  # fmt: skip
        assert admin_client.get(url).status_code == 200, url
    procedure = Procedure.objects.get(code="1.009994")
    page = admin_client.get(f"/admin/catalog/procedure/{procedure.pk}/change/")
    html = page.content.decode()
    assert page.status_code == 200
    for version in procedure.versions.all():
        assert editor_url(version) in html
        assert str(version.state_label()) in html
    version = procedure.versions.first()
    answer = admin_client.get(f"/admin/catalog/procedureversion/{version.pk}/change/")
    assert answer.status_code == 302 and answer["Location"] == editor_url(version)
    # No way around the editor: the admin's own add/change forms are closed.
    assert admin_client.get("/admin/catalog/procedureversion/add/").status_code == 403
    assert admin_client.get("/admin/catalog/procedure/add/").status_code == 403


# --- who may use it -------------------------------------------------------------------------


def desk_officer():
    """An intake officer of a commune: staff, but no procedure administrator."""
    return officer(Role.INTAKE_OFFICER, AgencyFactory())


@pytest.fixture
def staff_without_role():
    user = User.objects.create_user("nhanvien.khac", password="x", is_staff=True)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def procedure_admin_client():
    user = User.objects.create_user("quantri.thutuc", password="x", is_staff=True)
    officer(Role.PROCEDURE_ADMIN, AgencyFactory(level=Agency.Level.PROVINCE), user=user)
    client = Client()
    client.force_login(user)
    return client


def test_a_staff_user_without_the_role_is_turned_away(staff_without_role):
    published = in_force("2.000575")
    draft = draft_of("2.000575")
    before = draft.checksum
    for url in (editor_url(draft), f"{ADMIN}/version/{draft.pk}/preview/", f"{ADMIN}/version/{draft.pk}/publish/",
                f"{ADMIN}/new/", f"{ADMIN}/", "/admin/catalog/procedureversion/", "/admin/catalog/sector/"):
        assert staff_without_role.get(url).status_code == 403, url
    assert staff_without_role.post(editor_url(draft), {"general-name_vi": "x"}).status_code == 403
    assert staff_without_role.post(f"{ADMIN}/version/{draft.pk}/publish/").status_code == 403
    assert staff_without_role.post(f"{ADMIN}/version/{published.pk}/copy/").status_code == 403
    assert staff_without_role.post(f"{ADMIN}/new/", {"code": "1.999003"}).status_code == 403
    draft.refresh_from_db()
    assert draft.is_draft and draft.checksum == before
    assert not Procedure.objects.filter(code="1.999003").exists()
    assert "/admin/catalog/" not in staff_without_role.get("/admin/").content.decode()


def test_officers_and_anonymous_are_sent_to_log_in():
    draft = draft_of("2.000575")
    for client in (Client(), logged_in(desk_officer())):
        answer = client.get(editor_url(draft))
        assert answer.status_code == 302 and "login" in answer["Location"]


def test_a_procedure_administrator_who_is_not_a_superuser(procedure_admin_client):
    draft = draft_of("2.000575")
    assert procedure_admin_client.get(f"{ADMIN}/").status_code == 200
    data = editor_form(procedure_admin_client, draft)
    data["general-name_en"] = "Household business registration (edited)"
    assert procedure_admin_client.post(editor_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.name_en == "Household business registration (edited)"


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_two_versions_compared_field_by_field(admin_client):
    from egov.catalog.compare import compare_versions
    from tests.factories import DefinitionFactory, text

    first = published(code="9.900001")
    second = services.publish_version(services.import_definition(DefinitionFactory(
        code="9.900001", time_limit={"working_days": 5},
        fees=[{"code": "fee", "name": text("Lệ phí", "Fee"), "amount": 20_000}],
        documents=[*DefinitionFactory()["documents"], {"key": "photo", "name": text("Ảnh", "Photo"),
                                                       "kind": "original", "required": False}],
    )).version)  # fmt: skip
    parts = dict(compare_versions(first.spec, second.spec))
    assert [(key, state) for key, state, *_ in parts["Papers"]] == [("photo", "added")]
    assert [(key, state) for key, state, *_ in parts["Fees"]] == [("fee", "added")]
    assert [(key, state) for key, state, *_ in parts["Time limit"]] == [("time_limit", "changed")]
    assert "Form" not in parts and "Steps" not in parts
    page = admin_client.get(f"/admin/catalog/procedure/version/{second.pk}/compare/")
    assert page.status_code == 200 and "Version 1 → version 2" in page.content.decode()
    assert page.content.decode().count('class="change-added"') == 2
    editor = admin_client.get(f"/admin/catalog/procedure/version/{second.pk}/edit/").content.decode()
    assert f"/admin/catalog/procedure/version/{second.pk}/compare/" in editor


def test_import_and_export_in_the_admin(admin_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from egov.catalog.format import to_yaml
    from tests.factories import DefinitionFactory

    definition = DefinitionFactory(code="9.900002")
    broken = {**definition, "time_limit": {"working_days": "three"}, "level": "galaxy"}
    page = admin_client.post("/admin/catalog/procedure/import/",
                             {"file": SimpleUploadedFile("p.yaml", to_yaml(broken).encode())})  # fmt: skip
    assert page.status_code == 400 and not Procedure.objects.filter(code="9.900002").exists()
    errors = page.content.decode()
    assert "level" in errors and "time_limit" in errors  # each error says where it is
    done = admin_client.post("/admin/catalog/procedure/import/",
                             {"file": SimpleUploadedFile("p.yaml", to_yaml(definition).encode())})  # fmt: skip
    version = ProcedureVersion.objects.get(procedure__code="9.900002")
    assert done.status_code == 302 and done["Location"].endswith(f"/version/{version.pk}/edit/")
    assert version.status == "draft"
    download = admin_client.get(f"/admin/catalog/procedure/version/{version.pk}/export/")
    assert download["Content-Disposition"].endswith('9.900002-v1.yaml"')
    from egov.catalog.format import load_text

    assert load_text(download.content.decode(), "x.yaml") == version.definition
    assert admin_client.post("/admin/catalog/procedure/import/",
                             {"file": SimpleUploadedFile("p.yaml", b"\xff\xfe")}).status_code == 400  # fmt: skip
    assert "/admin/catalog/procedure/import/" in admin_client.get("/admin/catalog/procedure/").content.decode()
