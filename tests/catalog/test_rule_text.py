"""Conditions in words (issue 23, item 3): ``describe`` reads a JSON Logic rule as a sentence
made of the form's own labels, in the language asked for."""

import pytest
from django.utils import translation

from egov.catalog.definition import ProcedureDefinition
from egov.catalog.rule_text import builder_subjects, describe, phrases
from tests.factories import text

FORM = [
    {"key": "person", "type": "section", "label": text("Người đề nghị", "Applicant")},
    {"key": "purpose", "type": "choice", "label": text("Mục đích", "Purpose"),
     "choices": [{"value": "work", "label": text("Làm việc", "Working")},
                 {"value": "study", "label": text("Du học", "Studying abroad")}]},
    {"key": "children", "type": "integer", "label": text("Số con", "Number of children")},
    {"key": "arrival", "type": "date", "label": text("Ngày đến", "Date of arrival")},
    {"key": "is_foreigner", "type": "boolean", "label": text("Là người nước ngoài", "Foreign national")},
    {"key": "nickname", "type": "text", "label": text("Tên gọi khác", "Other name")},
    {"key": "languages", "type": "multichoice", "label": text("Ngoại ngữ", "Languages"),
     "choices": [{"value": "en", "label": text("Tiếng Anh", "English")},
                 {"value": "fr", "label": text("Tiếng Pháp", "French")}]},
]  # fmt: skip


def var(key):
    return {"var": f"data.{key}"}


@pytest.mark.parametrize(
    ("rule", "sentence"),
    [
        ({"==": [var("purpose"), "study"]}, "Purpose is Studying abroad"),
        ({"!=": [var("purpose"), "work"]}, "Purpose is not Working"),
        ({">": [var("children"), 2]}, "Number of children is more than 2"),
        ({">=": [var("children"), 1]}, "Number of children is at least 1"),
        ({"<": [var("children"), 3]}, "Number of children is less than 3"),
        ({"<=": [var("children"), 3.0]}, "Number of children is at most 3"),
        ({"<": [var("arrival"), "2025-07-01"]}, "Date of arrival is before 2025-07-01"),
        ({">=": [var("arrival"), "2025-07-01"]}, "Date of arrival is on or after 2025-07-01"),
        ({"==": [var("nickname"), "Bé"]}, "Other name is “Bé”"),
        ({"in": [var("purpose"), ["work", "study"]]}, "Purpose is one of Working / Studying abroad"),
        ({"in": ["fr", var("languages")]}, "Languages includes French"),
        ({"in": ["Nguyễn", var("nickname")]}, "Other name contains “Nguyễn”"),
        ({"!!": var("nickname")}, "Other name is filled in"),
        ({"!!": [var("nickname")]}, "Other name is filled in"),
        ({"var": "data.nickname"}, "Other name is filled in"),
        ({"!": var("nickname")}, "Other name is empty"),
        ({"var": "data.is_foreigner"}, "Foreign national is ticked"),
        ({"!": {"var": "data.is_foreigner"}}, "Foreign national is not ticked"),
        ({"==": [var("is_foreigner"), True]}, "Foreign national is ticked"),
        ({"==": [var("nickname"), None]}, "Other name is empty"),
        ({"==": [{"var": "applicant.type"}, "organization"]}, "Applicant type is Organisation"),
        ({"!=": [{"var": "channel"}, "online"]}, "Channel is not Online"),
        ({">=": [{"var": "applicant.age"}, 18]}, "Applicant's age is at least 18"),
        # written value first, it reads the other way round
        ({"<": [0, var("children")]}, "Number of children is more than 0"),
        ({"<=": [1, var("children"), 3]}, "Number of children is between 1 and 3"),
        ({"==": [var("children"), var("nickname")]}, "Number of children is Other name"),
        # a field the form does not (yet) have: its key
        ({"==": [var("colour"), "red"]}, "colour is “red”"),
    ],
)
def test_a_condition_reads_as_a_sentence(rule, sentence):
    assert describe(rule, FORM, "en") == sentence


def test_groups():
    two = {"and": [{">=": [var("children"), 1]}, {"==": [{"var": "applicant.type"}, "organization"]}]}
    assert describe(two, FORM, "en") == "Number of children is at least 1 and Applicant type is Organisation"
    either = {"or": [{"var": "data.is_foreigner"}, {"!": var("nickname")}]}
    assert describe(either, FORM, "en") == "Foreign national is ticked or Other name is empty"
    three = {"or": [{"==": [var("purpose"), "work"]}, {"==": [var("purpose"), "study"]}, {"var": "data.is_foreigner"}]}
    assert describe(three, FORM, "en") == (
        "any of: Purpose is Working; Purpose is Studying abroad; Foreign national is ticked"
    )
    nested = {
        "and": [{"var": "data.is_foreigner"}, {"or": [{"==": [var("purpose"), "work"]}, {"!!": var("nickname")}]}]
    }
    assert describe(nested, FORM, "en") == (
        "all of: Foreign national is ticked; (Purpose is Working or Other name is filled in)"
    )
    assert describe({"and": [{"==": [var("purpose"), "study"]}]}, FORM, "en") == "Purpose is Studying abroad"
    assert describe({"!": {"==": [var("purpose"), "study"]}}, FORM, "en") == "not (Purpose is Studying abroad)"
    assert describe({"!!": {"==": [var("purpose"), "study"]}}, FORM, "en") == "Purpose is Studying abroad"


@pytest.mark.parametrize(
    "rule",
    [
        {"if": [var("nickname"), True, False]},
        {"missing": ["data.nickname"]},
        {"==": [var("children"), {"+": [1, 1]}]},
        {"var": ["data.children", 0]},  # a default the sentence would hide
        {"<": [1, var("children"), 3]},  # strictly between: not the same as "between"
        {"in": [var("purpose"), var("languages")]},
        {"in": [var("purpose"), []]},
        {"and": []},
        {"==": [var("purpose")]},
        {"var": "data.a", "==": 1},
        [1, 2],
    ],
)
def test_anything_else_is_a_custom_rule(rule):
    assert describe(rule, FORM, "en") == "custom rule (JSON Logic)"


def test_a_custom_part_inside_a_group_is_named_as_such():
    rule = {"and": [{"==": [var("purpose"), "study"]}, {"if": [True, True, False]}]}
    assert describe(rule, FORM, "en") == "Purpose is Studying abroad and custom rule (JSON Logic)"


def test_no_rule_and_plain_booleans():
    assert describe(None, FORM) == ""
    assert describe(True, FORM, "en") == "always" and describe(False, FORM, "en") == "never"


def test_vietnamese():
    """The words are translated (when the catalogue has them) and the labels are the Vietnamese ones."""
    rule = {"and": [{"==": [var("purpose"), "study"]}, {"==": [{"var": "channel"}, "online"]}]}
    sentence = describe(rule, FORM, "vi")
    assert "Mục đích" in sentence and "Du học" in sentence and "Trực tuyến" in sentence
    assert "Purpose" not in sentence and "Studying abroad" not in sentence and "Online" not in sentence


def test_the_fields_come_from_a_definition_a_spec_or_a_list():
    definition = {"form": FORM, "steps": [{"key": "appraise", "form": [
        {"key": "site_visit", "type": "boolean", "label": text("Đã kiểm tra thực địa", "Site visited")}]}]}  # fmt: skip
    rule = {"and": [{"var": "data.site_visit"}, {"==": [var("purpose"), "work"]}]}
    expected = "Site visited is ticked and Purpose is Working"
    assert describe(rule, definition, "en") == expected
    assert describe(rule, ProcedureDefinition(definition), "en") == expected
    assert describe(rule, [*FORM, *definition["steps"][0]["form"]], "en") == expected
    # without the fields: the keys, and no type to choose the verb by
    assert describe(rule, (), "en") == "site_visit is filled in and purpose is “work”"


def test_the_builders_data():
    subjects = builder_subjects(FORM, {"appraise": [{"key": "site_visit", "type": "boolean", "label": "Thực địa"}]},
                                language="en")  # fmt: skip
    by_var = {s["var"]: s for s in subjects}
    assert "data.person" not in by_var  # a section is not a value
    assert by_var["data.purpose"] == {
        "key": "purpose", "var": "data.purpose", "label": "Purpose", "type": "choice", "step": "",
        "choices": [{"value": "work", "label": "Working"}, {"value": "study", "label": "Studying abroad"}]}  # fmt: skip
    assert by_var["data.site_visit"]["step"] == "appraise"
    assert [s["var"] for s in subjects][-3:] == ["applicant.type", "channel", "applicant.represented"]
    assert by_var["applicant.represented"]["type"] == "boolean"
    assert {c["value"] for c in by_var["applicant.type"]["choices"]} == {"individual", "organization", "foreigner"}
    assert {c["value"] for c in by_var["channel"]["choices"]} == {"online", "in_person", "post"}
    # the browser's sentences are made of the same phrases
    with translation.override("en"):
        assert phrases()["eq"] == "%(field)s is %(value)s" and phrases()["custom"] == "custom rule (JSON Logic)"
