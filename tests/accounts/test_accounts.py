import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from egov.accounts.models import RoleAssignment, User
from egov.accounts.selectors import has_role, role_pairs
from egov.accounts.validators import validate_personal_id
from egov.agencies.models import Agency
from egov.audit.models import AuditRecord

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency():
    return Agency.objects.create(code="000.00.12.H56", name="Sở Tư pháp", level="department")


@pytest.mark.parametrize("value", ["045090001234", "001200012345", "079301234567"])
def test_valid_personal_ids(value):
    validate_personal_id(value)


@pytest.mark.parametrize("value", ["04509000123", "0450900012345", "04509000123a", "003090001234", ""])
def test_invalid_personal_ids(value):
    with pytest.raises(ValidationError):
        validate_personal_id(value)


def test_personal_id_must_match_birth_year():
    validate_personal_id("045090001234", datetime.date(1990, 1, 1))
    with pytest.raises(ValidationError):
        validate_personal_id("045090001234", datetime.date(1991, 1, 1))
    # century digit 2 → 20xx
    validate_personal_id("045205001234", datetime.date(2005, 3, 3))


def test_create_citizen_command(capsys):
    call_command(
        "create_citizen", "an", "--full-name", "Nguyễn Văn An", "--personal-id", "045090001234",
        "--email", "an@example.vn", "--phone", "0912 345 678",
    )
    user = User.objects.get(username="an")
    assert user.full_name == "Nguyễn Văn An"
    assert user.phone == "0912345678"
    assert user.kind == User.Kind.CITIZEN
    assert not user.has_usable_password()
    assert AuditRecord.objects.filter(action="account.citizen_created").count() == 1


def test_create_citizen_refuses_bad_input_and_changes_nothing():
    with pytest.raises(CommandError, match="personal_id"):
        call_command("create_citizen", "an", "--full-name", "An", "--personal-id", "12345")
    assert User.objects.count() == 0
    call_command("create_citizen", "an", "--full-name", "An", "--personal-id", "045090001234")
    with pytest.raises(CommandError, match="username"):
        call_command("create_citizen", "AN", "--full-name", "An", "--personal-id", "045090001234")
    # A typed number is data, not identity: another account may type it too (neither is verified).
    call_command("create_citizen", "an2", "--full-name", "An", "--personal-id", "045090001234")
    assert User.objects.filter(personal_id="045090001234", personal_id_verified_at__isnull=True).count() == 2


def test_grant_role_creates_staff_without_password(agency, capsys):
    call_command("grant_role", "thuly", "case_officer", agency.code)
    user = User.objects.get(username="thuly")
    assert user.kind == User.Kind.STAFF and not user.has_usable_password()
    assert has_role(user, "case_officer", agency.pk)
    assert not has_role(user, "approver", agency.pk)
    call_command("grant_role", "thuly", "approver", agency.code)
    user = User.objects.get(username="thuly")
    assert role_pairs(user) == {("case_officer", agency.pk), ("approver", agency.pk)}
    call_command("grant_role", "thuly", "approver", agency.code)  # idempotent
    assert RoleAssignment.objects.count() == 2


def test_grant_role_errors(agency):
    with pytest.raises(CommandError, match="unknown role 'aprover'"):
        call_command("grant_role", "x", "aprover", agency.code)
    with pytest.raises(CommandError, match="no agency has the code"):
        call_command("grant_role", "x", "approver", "000.00.99.H56")
    assert not User.objects.exists()


def test_issue_token_mints_a_new_hashed_expiring_token_each_time(agency, capsys):
    from egov.accounts.models import PersonalToken

    call_command("grant_role", "thuly", "case_officer", agency.code)
    capsys.readouterr()
    call_command("issue_token", "thuly")
    first = capsys.readouterr().out.strip()
    call_command("issue_token", "thuly", "--read-only", "--days", "2")
    second = capsys.readouterr().out.strip()
    assert first != second and "." in first
    stored = PersonalToken.objects.get(prefix=first.split(".")[0])
    assert first.split(".")[1] not in stored.digest and len(stored.digest) == 64  # only a digest is kept
    assert stored.scope == "write" and PersonalToken.objects.get(prefix=second.split(".")[0]).scope == "read"


def test_login_with_email_or_phone(client):
    from django.utils import timezone

    user = User.objects.create_user("an", email="an@example.vn", password="a-long-password-1", full_name="An")
    user.phone = "0912345678"
    user.email_verified_at = user.phone_verified_at = timezone.now()  # proved by a code (contacts.py)
    user.save()
    for login in ["an", "AN@example.vn", "0912 345 678", "+84912345678"]:
        response = client.post("/accounts/login/", {"username": login, "password": "a-long-password-1"})
        assert response.status_code == 302, login
        client.logout()
    response = client.post("/accounts/login/", {"username": "an", "password": "wrong"})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()


def test_login_page_is_vietnamese_by_default(client, settings):
    settings.LANGUAGE_CODE = "vi"  # the product's default (the test settings read English)
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()
