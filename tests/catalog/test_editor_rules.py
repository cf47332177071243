"""The editor's conditions in words, the rule builder's data and the agencies to pick from
(issue 23, item 3), as the editor page renders them. The builder itself runs in the browser:
tests/e2e/test_rule_builder.py."""

import json
import re
from html import unescape

import pytest
from django.test import Client

from egov.agencies.models import Agency
from egov.catalog.models import ProcedureVersion
from egov.common.vocabulary import Role
from tests.catalog.test_admin_editor import add_row, draft_of, editor_form, editor_url, in_force, row_of
from tests.factories import AgencyFactory, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client():
    user = officer(Role.PROCEDURE_ADMIN, AgencyFactory(level=Agency.Level.PROVINCE), is_staff=True,
                   is_superuser=True)  # fmt: skip
    client = Client()
    client.force_login(user)
    return client


def sentence(html, input_id):
    """The text of the sentence under the condition input ``input_id``."""
    found = re.search(rf'<p class="rule-sentence" id="{input_id}-sentence"[^>]*>(.*?)</p>', html, re.S)
    assert found, f"no sentence for {input_id}"
    return unescape(found.group(1))


def rule_fields(html):
    found = re.search(r'<script id="rule-fields" type="application/json">(.*?)</script>', html, re.S)
    assert found, "no rule-fields data"
    return json.loads(found.group(1))


def test_the_editor_says_each_condition_and_gives_the_builder_its_fields(admin_client):
    draft = draft_of("2.001417")
    data = editor_form(admin_client, draft)
    html = admin_client.get(editor_url(draft)).content.decode()
    fee = row_of(data, "fees", "code", "standard")
    assert sentence(html, f"id_fees-{fee}-when") == "Charged when Fee category is Full fee."
    document = row_of(data, "documents", "key", "authorisation")
    assert sentence(html, f"id_documents-{document}-required_rule") == (
        "Required when Filed by is An authorised person."
    )
    passport = row_of(data, "fields", "key", "passport")
    assert sentence(html, f"id_fields-{passport}-visible") == "Shown when Foreign national is ticked."
    personal_id = row_of(data, "fields", "key", "personal_id")
    assert sentence(html, f"id_fields-{personal_id}-visible") == "Shown when Foreign national is not ticked."
    assert sentence(html, "id_limits-0-when") == (
        "This case applies when any of: Has lived abroad is ticked; Foreign national is ticked; "
        "Has lived in several provinces is ticked; Rehabilitation must be verified is ticked."
    )
    assert sentence(html, f"id_fields-{row_of(data, 'fields', 'key', 'full_name')}-visible") == ""  # no rule

    subjects = {s["var"]: s for s in rule_fields(html)}
    assert "data.person" not in subjects  # a section heading
    assert subjects["data.requested_by"]["label"] == "Filed by" and subjects["data.requested_by"]["type"] == "choice"
    assert {"value": "authorised", "label": "An authorised person"} in subjects["data.requested_by"]["choices"]
    assert subjects["data.is_foreigner"]["type"] == "boolean"
    assert {"applicant.type", "channel"} <= set(subjects)
    # the builder's words, translated on the server, for its own sentences
    assert 'data-eq="%(field)s is %(value)s"' in html and 'data-ui-show-json="Edit as JSON Logic"' in html
    assert 'data-sentence="Shown when %(rule)s."' in html
    assert '<script src="/static/js/rule-builder.js" defer></script>' in html


def test_agencies_are_picked_from_a_list_of_codes_and_names(admin_client):
    draft = draft_of("1.009994")  # has a consultation step
    closed = AgencyFactory(level=Agency.Level.DEPARTMENT, active=False, name="Sở đã giải thể")
    html = admin_client.get(editor_url(draft)).content.decode()
    datalist = re.search(r'<datalist id="agency-codes">(.*?)</datalist>', html, re.S).group(1)
    options = dict(re.findall(r'<option value="([^"]+)">([^<]+)</option>', datalist))
    active = Agency.objects.filter(active=True)
    assert set(options) == {a.code for a in active}
    some = active.first()
    assert unescape(options[some.code]) == f"{some.code} — {some.display_name}"
    assert closed.code not in options
    places = re.search(r'<datalist id="step-places">(.*?)</datalist>', html, re.S).group(1)
    assert '<option value="deciding">' in places and '<option value="receiving">' in places
    assert re.search(r'<input type="text" name="general-deciding_code"[^>]* list="agency-codes"', html)
    assert re.search(r'<input type="text" name="general-receiving"[^>]* data-agency-picker="comma"', html)
    assert re.search(r'<input type="text" name="steps-0-at"[^>]* list="step-places"', html)
    assert re.search(r'<textarea name="steps-\d+-consult"[^>]* data-agency-picker="lines"', html)


def test_saving_a_code_picked_from_the_list_keeps_the_code(admin_client):
    draft = draft_of("2.000575")
    department = AgencyFactory(level=Agency.Level.DEPARTMENT)
    data = editor_form(admin_client, draft)
    data[f"steps-{row_of(data, 'steps', 'key', 'appraise')}-at"] = department.code
    assert admin_client.post(editor_url(draft), {**data, "save": "1"}).status_code == 302
    draft.refresh_from_db()
    assert next(s for s in draft.definition["steps"] if s["key"] == "appraise")["at"] == department.code


def test_a_published_version_shows_the_sentences_without_the_builder(admin_client):
    version = in_force("2.001417")
    assert version.status == ProcedureVersion.Status.PUBLISHED
    html = admin_client.get(editor_url(version)).content.decode()
    assert "Charged when Fee category is Full fee." in html
    assert "Shown when Foreign national is ticked." in html
    assert 'id="rule-fields"' not in html and 'id="agency-codes"' not in html


def test_a_field_added_on_the_page_can_be_named_before_it_is_saved(admin_client):
    """The page comes back after a POST with errors: the new field is in the builder's list and
    the sentences use its label."""
    draft = draft_of("2.000575")
    data = editor_form(admin_client, draft)
    add_row(data, "fields", {"key": "purpose", "type": "choice", "label_vi": "Mục đích", "label_en": "Purpose",
                             "required_mode": "no", "choices": "study | Du học | Studying abroad\nwork | Làm việc"})  # fmt: skip
    add_row(data, "fields", {"key": "school", "type": "text", "label_vi": "Trường", "label_en": "School",
                             "required_mode": "no", "visible": '{"==": [{"var": "data.purpose"}, "study"]}'})  # fmt: skip
    data["general-result_name_vi"] = ""  # an error elsewhere: nothing is saved, the page comes back
    answer = admin_client.post(editor_url(draft), {**data, "save": "1"})
    assert answer.status_code == 400
    html = answer.content.decode()
    school = row_of(data, "fields", "key", "school")
    assert sentence(html, f"id_fields-{school}-visible") == "Shown when Purpose is Studying abroad."
    assert "data.purpose" in {s["var"] for s in rule_fields(html)}


def test_the_sentences_follow_the_page_language(admin_client):
    draft = draft_of("2.001417")
    data = editor_form(admin_client, draft)
    html = admin_client.get(editor_url(draft), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    said = sentence(html, f"id_fees-{row_of(data, 'fees', 'code', 'standard')}-when")
    assert "Đối tượng nộp phí" in said and "Nộp phí đầy đủ" in said  # the Vietnamese labels
    assert "Fee category" not in said and "Full fee" not in said
    subjects = {s["var"]: s for s in rule_fields(html)}
    assert subjects["data.requested_by"]["label"] == "Người nộp"
