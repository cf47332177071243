"""Acceptance tests of the catalogue: versions taking over on their day, search that folds
Vietnamese diacritics, and the e-form, fee and time-limit rules of the procedure format.

No time-travel library is installed: "later" is a ``moment`` passed to the selectors, or
effective dates moved into the past relative to now.
"""

import datetime

import pytest
from django.utils import timezone
from django.utils.translation import gettext

from egov.calendar.clock import local_zone
from egov.catalog import eform, selectors, services
from egov.catalog.conditions import context_for
from egov.catalog.demo import FOLDER
from egov.catalog.models import ProcedureVersion
from tests.factories import demo_procedure

pytestmark = pytest.mark.django_db

DEMO_FILES = sorted(path.name for path in FOLDER.glob("*.yaml"))  # the two building permits in order


@pytest.fixture
def catalogue():
    """Every demo procedure (egov/catalog/demo_procedures), published with the agencies it names."""
    assert DEMO_FILES
    for filename in DEMO_FILES:
        demo_procedure(filename)
    return {v.procedure.code: v for v in selectors.in_force()}


def new_version(code, **changes):
    draft = services.copy_to_draft(selectors.version_in_force(code))
    return services.update_draft(draft, {**draft.definition, **changes})


# --- a new version takes over on its day ------------------------------------------------------


def test_a_version_published_for_a_later_day_waits_for_it(api):
    old = demo_procedure("household-business-registration.yaml")
    draft = new_version("2.000575", name={"vi": "Đăng ký hộ kinh doanh (mẫu mới)", "en": "Household business (new)"})
    start = timezone.now() + datetime.timedelta(days=10)
    new = services.publish_version(draft, effective_from=start)
    old.refresh_from_db()

    assert new.status == old.status == "published"
    assert old.effective_to == new.effective_from == start
    before, after = start - datetime.timedelta(seconds=1), start + datetime.timedelta(seconds=1)
    assert selectors.version_in_force("2.000575") == old
    assert selectors.version_in_force("2.000575", moment=before) == old
    assert selectors.version_in_force("2.000575", moment=start) == new
    assert selectors.version_in_force("2.000575", moment=after) == new
    assert str(old.state_label()) == gettext("In force") and str(new.state_label()) == gettext("Scheduled")
    assert str(old.state_label(moment=after)) == gettext("Retired")

    # The API serves the old version until then, and lists the procedure once.
    detail = api.get("/api/v1/procedures/2.000575/").json()
    assert detail["version"] == old.number and detail["effective_to"] is not None
    assert detail["definition"]["name"] == old.definition["name"]
    listed = api.get("/api/v1/procedures/", {"q": "ho kinh doanh", "page_size": 200}).json()["results"]
    assert [(p["code"], p["version"]) for p in listed if p["code"] == "2.000575"] == [("2.000575", old.number)]

    # The day comes (the dates are moved into the past rather than the clock forward).
    moved = timezone.now() - datetime.timedelta(minutes=1)
    ProcedureVersion.objects.filter(pk=new.pk).update(effective_from=moved)
    ProcedureVersion.objects.filter(pk=old.pk).update(effective_to=moved)
    detail = api.get("/api/v1/procedures/2.000575/").json()
    assert detail["version"] == new.number and detail["name"] in ("Đăng ký hộ kinh doanh (mẫu mới)",
                                                                   "Household business (new)")  # fmt: skip
    assert api.get("/api/v1/procedures/2.000575/", {"version": old.number}).json()["version"] == old.number


def test_the_definitions_effective_from_is_local_midnight():
    death = demo_procedure("death-registration.yaml")
    day = timezone.localdate() + datetime.timedelta(days=30)
    draft = new_version("1.000656", effective_from=day.isoformat())
    new = services.publish_version(draft)
    assert new.effective_from == datetime.datetime.combine(day, datetime.time.min, tzinfo=local_zone())
    assert timezone.localtime(new.effective_from).hour == 0
    assert selectors.version_in_force("1.000656") == death
    assert selectors.version_in_force("1.000656", moment=new.effective_from) == new


def test_never_in_force_retroactively():
    old = demo_procedure("marriage-registration.yaml")
    draft = new_version("1.000894", effective_from="2020-01-01")
    before = timezone.now()
    new = services.publish_version(draft)
    assert new.effective_from >= before  # not 2020: dossiers received before now were under the old version
    old.refresh_from_db()
    assert old.effective_to == new.effective_from
    assert selectors.version_in_force("1.000894") == new
    assert selectors.version_in_force("1.000894", moment=old.effective_from) == old


def test_the_building_permit_versions_chain():
    """The demo ships two versions of 1.009994 (2014 and 2026 law); each is in force until the next."""
    demo_procedure("building-permit-1-2014.yaml")
    demo_procedure("building-permit-2-2026.yaml")
    versions = list(ProcedureVersion.objects.filter(procedure__code="1.009994").order_by("number"))
    assert len(versions) == 2 and all(v.status == "published" for v in versions)
    takeover = versions[1].effective_from
    assert versions[0].effective_to == takeover and versions[1].effective_to is None
    assert selectors.version_in_force("1.009994", moment=versions[0].effective_from) == versions[0]
    assert selectors.version_in_force("1.009994", moment=takeover) == versions[1]
    assert selectors.version_in_force("1.009994") == versions[1]


def test_retiring_the_only_published_version(api):
    services.retire_version(demo_procedure("death-registration.yaml"))
    assert selectors.version_in_force("1.000656") is None
    assert api.get("/api/v1/procedures/1.000656/").status_code == 404


# --- search folds diacritics --------------------------------------------------------------------


def codes(api, query):
    answer = api.get("/api/v1/procedures/", {"q": query, "page_size": 200})
    assert answer.status_code == 200
    return sorted(p["code"] for p in answer.json()["results"])


def test_search_with_and_without_diacritics_finds_the_same(catalogue, api):
    with_marks = codes(api, "Đăng ký khai sinh")
    assert with_marks == ["1.001193"]
    assert codes(api, "dang ky khai sinh") == with_marks
    assert codes(api, "DANG KY KHAI SINH") == with_marks
    assert codes(api, "  đăng   KÝ  khai sinh ") == with_marks
    # Several procedures: every word must match, in any order.
    assert codes(api, "đăng ký") == codes(api, "dang ky") and len(codes(api, "dang ky")) >= 4
    assert codes(api, "ly lich tu phap") == codes(api, "Lý lịch tư pháp") == ["2.001417"]
    assert codes(api, "ho tich") == codes(api, "hộ tịch")
    assert codes(api, "khai sinh ket hon") == []
    assert codes(api, "1.001193") == ["1.001193"]  # by code too


def test_search_is_the_same_in_the_selector(catalogue):
    folded = [v.procedure.code for v in selectors.catalogue(text="giay phep xay dung")]
    exact = [v.procedure.code for v in selectors.catalogue(text="Giấy phép xây dựng")]
    assert folded == exact == ["1.009994"]


# --- the e-form -----------------------------------------------------------------------------------


@pytest.fixture
def criminal_record():
    return demo_procedure("criminal-record-certificate.yaml").spec


VALID = {"full_name": "Nguyễn Văn An", "personal_id": "001099012345", "date_of_birth": "1990-05-01",
         "residence": "Đông Hà, Quảng Trị", "certificate_type": "1", "purpose": "Xin việc", "copies": "2",
         "requested_by": "self", "fee_category": "standard"}  # fmt: skip


def test_a_complete_form_is_cleaned_and_coerced(criminal_record):
    cleaned, errors = eform.clean(criminal_record, {**VALID, "is_foreigner": "false", "lived_abroad": "on"})
    assert errors == {}
    assert cleaned["copies"] == 2 and cleaned["is_foreigner"] is False and cleaned["lived_abroad"] is True
    assert cleaned["date_of_birth"] == "1990-05-01" and cleaned["certificate_type"] == "1"


def test_hidden_fields_are_dropped_without_being_validated(criminal_record):
    # A citizen: the passport field is hidden, its value dropped (even a bad one).
    cleaned, errors = eform.clean(criminal_record, {**VALID, "passport": "X" * 50})
    assert errors == {} and "passport" not in cleaned
    # A foreigner: the personal ID is hidden and dropped (even an invalid one); the passport is shown, required.
    foreigner = {**VALID, "is_foreigner": True, "personal_id": "123"}
    cleaned, errors = eform.clean(criminal_record, foreigner)
    assert "personal_id" not in cleaned and "personal_id" not in errors
    assert list(errors) == ["passport"]
    cleaned, errors = eform.clean(criminal_record, {**foreigner, "passport": "B1234567"})
    assert errors == {} and cleaned["passport"] == "B1234567" and "personal_id" not in cleaned


def test_conditional_requirement(criminal_record):
    states = eform.field_states(criminal_record, {"is_foreigner": False})
    assert states["personal_id"] == (True, True) and states["passport"] == (False, False)
    states = eform.field_states(criminal_record, {"is_foreigner": True})
    assert states["personal_id"] == (False, False) and states["passport"] == (True, True)
    missing = {k: v for k, v in VALID.items() if k != "personal_id"}
    _cleaned, errors = eform.clean(criminal_record, missing)
    assert list(errors) == ["personal_id"]
    _cleaned, errors = eform.clean(criminal_record, missing, partial=True)  # a draft being saved
    assert errors == {}


@pytest.mark.parametrize(("key", "value"), [
    ("copies", "abc"),            # not a number
    ("copies", "7"),              # above max 5
    ("copies", "0"),              # below min 1
    ("copies", "1.5"),            # not whole
    ("date_of_birth", "01/05/1990"),
    ("certificate_type", "3"),    # not a choice
    ("personal_id", "12345"),     # not 12 digits
    ("full_name", "A" * 101),     # max_length 100
    ("lived_abroad", "perhaps"),  # not a yes/no
])  # fmt: skip
def test_type_coercion_errors(criminal_record, key, value):
    cleaned, errors = eform.clean(criminal_record, {**VALID, key: value})
    assert list(errors) == [key] and key not in cleaned


def test_dates_after_today_and_unknown_keys_are_refused(criminal_record):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    _cleaned, errors = eform.clean(criminal_record, {**VALID, "date_of_birth": tomorrow})
    assert list(errors) == ["date_of_birth"]
    _cleaned, errors = eform.clean(criminal_record, {**VALID, "favourite_colour": "blue"})
    assert list(errors) == ["favourite_colour"]
    assert eform.clean(criminal_record, ["not", "a", "dict"])[1]


def test_required_documents_follow_their_conditions(criminal_record):
    assert eform.required_documents(criminal_record, VALID) == ["declaration", "id_copy"]
    authorised = {**VALID, "requested_by": "authorised", "fee_category": "reduced"}
    assert eform.required_documents(criminal_record, authorised) == ["declaration", "id_copy", "authorisation",
                                                                     "fee_proof"]  # fmt: skip


# --- conditional fees and time limits (criminal record certificate, 2.001417) --------------------


@pytest.mark.parametrize(("category", "codes_", "total"), [
    ("standard", ["standard"], 200000),
    ("reduced", ["reduced"], 100000),
    ("exempt", [], 0),
])  # fmt: skip
def test_conditional_fees(criminal_record, category, codes_, total):
    context = context_for({**VALID, "fee_category": category})
    assert [fee["code"] for fee in criminal_record.fee_lines(context)] == codes_
    assert criminal_record.fee_total(context) == total
    assert criminal_record.payment == "before_processing"


@pytest.mark.parametrize(("answers", "days"), [
    ({}, 10),
    ({"lived_abroad": True}, 15),
    ({"is_foreigner": True}, 15),
    ({"several_residences": True}, 15),
    ({"rehabilitation": True}, 15),
    ({"lived_abroad": False, "several_residences": False}, 10),
])  # fmt: skip
def test_conditional_time_limits(criminal_record, answers, days):
    assert criminal_record.time_limit_for(context_for({**VALID, **answers})) == {"working_days": days}


def test_the_api_describes_the_cases(api):
    demo_procedure("criminal-record-certificate.yaml")
    detail = api.get("/api/v1/procedures/2.001417/").json()
    assert len(detail["time_limit"]) == 2
    assert detail["fees"]["min"] == 100000 and detail["fees"]["max"] == 200000
    assert all(line["conditional"] for line in detail["fees"]["lines"])
    required = {d["key"]: d["required"] for d in detail["documents"]}
    assert required["declaration"] is True and isinstance(required["authorisation"], dict)
