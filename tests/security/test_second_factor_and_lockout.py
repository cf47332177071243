"""Staff need a second factor; repeated wrong passwords lock an account."""

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.common.vocabulary import Role
from tests.factories import PASSWORD, AgencyFactory, CitizenFactory, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_factor(settings):
    settings.EGOV_STAFF_2FA = True
    # django-otp slows down guessing after a wrong code (1 s, doubling); not in a test.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def desk_officer():
    """An intake officer of a commune (a staff account, password ``PASSWORD``)."""
    return officer(Role.INTAKE_OFFICER, AgencyFactory())


def password_login(username):
    client = Client()
    answer = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    assert answer.status_code == 302
    return client


def test_staff_without_the_second_factor_reach_nothing(desk_officer, two_factor):
    client = password_login(desk_officer.username)
    for path in ["/backoffice/", "/dashboard/", "/admin/", "/my/dossiers/", "/notices/"]:
        answer = client.get(path)
        assert answer.status_code == 302 and "/accounts/2fa/setup/" in answer["Location"], path
    api = client.get("/api/v1/tasks/?scope=queue")
    assert api.status_code == 403 and api.json()["code"] == "second_factor_required"
    # Citizens are not asked.
    citizen = password_login(CitizenFactory().username)
    assert citizen.get("/my/dossiers/").status_code == 200


def test_setting_up_and_using_the_authenticator(desk_officer, two_factor):
    client = password_login(desk_officer.username)
    page = client.get("/accounts/2fa/setup/")
    assert page.status_code == 200 and "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=desk_officer)
    assert client.post("/accounts/2fa/setup/", {"token": "000000"}).status_code == 400
    done = client.post("/accounts/2fa/setup/", {"token": f"{totp(device.bin_key):06d}"})
    codes = done.context["codes"]
    assert len(codes) == 10
    assert client.get("/api/v1/tasks/?scope=queue").status_code == 200
    # Next login: the verify page; a recovery code works once.
    again = password_login(desk_officer.username)
    assert "/accounts/2fa/verify/" in again.get("/backoffice/")["Location"]
    assert again.post("/accounts/2fa/verify/", {"token": codes[0], "next": "/notices/"})["Location"] == "/notices/"
    third = password_login(desk_officer.username)
    assert third.post("/accounts/2fa/verify/", {"token": codes[0]}).status_code == 400


def test_repeated_failures_lock_the_account(settings):
    settings.AXES_ENABLED = True
    citizen, neighbour = CitizenFactory(), CitizenFactory()
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": citizen.username, "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": citizen.username, "password": PASSWORD})
    assert locked.status_code == 429 and "Too many" in locked.content.decode()
    other = Client().post("/accounts/login/", {"username": neighbour.username, "password": PASSWORD})
    assert other.status_code == 302  # another account at the same address is not locked


def test_logins_are_audited():
    from egov.audit.models import AuditRecord

    citizen = CitizenFactory()
    Client().post("/accounts/login/", {"username": citizen.username, "password": "wrong"})
    Client().post("/accounts/login/", {"username": citizen.username, "password": PASSWORD})
    assert AuditRecord.objects.filter(action="account.login_failed", object_id=str(citizen.pk)).exists()
    assert AuditRecord.objects.filter(action="account.login", actor=citizen).exists()
    assert not AuditRecord.objects.filter(after__password__isnull=False).exists()
