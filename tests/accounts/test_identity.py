"""Who a person is (security review 2026-12, C1, M8, H2, M6, L1): each finding's reproduction,
replayed, now gets the safe answer. A typed personal ID number is data, not identity; e-mail
and phone log in only once proved; lockouts hold whatever spelling; the second factor follows
power; staff tokens are hashed, scoped, expiring and minted after the second factor."""

import datetime
import re

import pytest
import requests
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from egov.accounts import contacts, identity
from egov.accounts.models import ContactProof, PersonalToken, RoleAssignment, User
from egov.audit.models import AuditRecord
from egov.common.vocabulary import Role
from egov.integrations.clients import issue_key, register_client
from egov.integrations.models import Scope
from tests.dossiers.helpers import client_for
from tests.factories import AgencyFactory, CitizenFactory, commune, officer

from .oidc_provider import Provider

pytestmark = pytest.mark.django_db

VICTIM_ID = "045099012345"
PASSWORD = "a-long-Password-2026"


def register(client, **fields):
    form = {"full_name": "Attacker Mallory", "email": "", "phone": "", "personal_id": "", "password1": PASSWORD,
            "password2": PASSWORD, "consent": "on", **fields}  # fmt: skip
    return client.post("/accounts/register/", form)


def code_sent_to(address):
    """The six-digit code in the last e-mail to ``address``."""
    message = [m for m in mail.outbox if address in m.to][-1]
    return re.search(r"\b(\d{6})\b", message.body).group(1)


# --- C1: a typed personal ID number is data, not identity ---------------------------------


def test_a_squatted_number_blocks_nobody_and_captures_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert register(Client(), email="mallory@evil.example", personal_id=VICTIM_ID).status_code == 302
        # The victim registers with their own number: not refused.
        assert register(Client(), full_name="Real Victim", email="victim@example.vn",
                        personal_id=VICTIM_ID).status_code == 302  # fmt: skip
    squatter = User.objects.get(email="mallory@evil.example")
    assert not squatter.personal_id_verified and not User.objects.filter(personal_id_verified_at__isnull=False,
                                                                          personal_id=VICTIM_ID).exists()  # fmt: skip
    # The national portal files for the victim: not into the squatter's account.
    world = commune()
    client = register_client("Cổng DVC quốc gia", [Scope.DOSSIERS_SUBMIT, Scope.DOSSIERS_READ])
    key = issue_key(client)
    portal = Client(HTTP_AUTHORIZATION=f"Api-Key {key}")
    answer = portal.post("/api/v1/dossiers/", {
        "procedure": world.code, "applicant": {"personal_id": VICTIM_ID, "full_name": "Real Victim"},
        "data": {"full_name": "Real Victim", "commune": world.agency.code},
    }, content_type="application/json")  # fmt: skip
    assert answer.status_code == 201, answer.json()
    assert answer.json()["applicant"]["full_name"] == "Real Victim"
    filed_for = User.objects.get(pk=answer.json()["applicant_id"]) if "applicant_id" in answer.json() else \
        User.objects.get(dossiers__pk=answer.json()["id"])
    assert filed_for != squatter and filed_for.registered_by == client.service_user
    assert not filed_for.username.endswith(VICTIM_ID) and VICTIM_ID not in filed_for.username
    # The squatter reads nothing of it.
    assert client_for(squatter).get(f"/api/v1/dossiers/{answer.json()['id']}/").status_code == 404
    # The same portal filing again for the same person finds the account it opened.
    again = portal.post("/api/v1/dossiers/", {
        "procedure": world.code, "applicant": {"personal_id": VICTIM_ID, "full_name": "REAL  victim"},
        "data": {"full_name": "Real Victim", "commune": world.agency.code},
    }, content_type="application/json")  # fmt: skip
    assert again.status_code == 201 and User.objects.get(dossiers__pk=again.json()["id"]) == filed_for


def test_the_desk_opens_a_verified_account_and_stops_on_another_name():
    world = commune()
    squatter = CitizenFactory(unproved=True, personal_id=VICTIM_ID, full_name="Attacker Mallory")
    desk = Client()
    desk.force_login(world.intake)
    form = {"personal_id": VICTIM_ID, "full_name": "Real Victim", "procedure": world.code, "channel": "in_person"}
    refused = desk.post("/backoffice/desk/", form)  # the card was not checked
    assert refused.status_code == 400 and not User.objects.filter(full_name="Real Victim").exists()
    started = desk.post("/backoffice/desk/", {**form, "id_card_seen": "on"})
    assert started.status_code == 302
    victim = User.objects.get(full_name="Real Victim")
    assert victim != squatter and victim.personal_id_verified
    assert victim.personal_id_verified_via == "desk" and victim.personal_id_verified_by == world.intake
    assert victim.dossiers.count() == 1 and squatter.dossiers.count() == 0
    # Next visit: the verified account is the applicant, if the name on the card matches it.
    assert desk.post("/backoffice/desk/", {**form, "full_name": "REAL VICTIM", "id_card_seen": "on"}).status_code == 302
    assert victim.dossiers.count() == 2
    mismatch = desk.post("/backoffice/desk/", {**form, "full_name": "Attacker Mallory", "id_card_seen": "on"})
    assert mismatch.status_code == 400 and "another name" in mismatch.content.decode()
    assert victim.dossiers.count() == 2
    assert AuditRecord.objects.filter(action="identity.name_mismatch", object_id=str(victim.pk)).exists()
    # No lookup by number in a URL: the desk page shows nobody for one.
    page = desk.get(f"/backoffice/desk/?personal_id={VICTIM_ID}").content.decode()
    assert "Real Victim" not in page and 'method="post"' in page


def test_an_api_client_stops_on_another_name_with_an_audit_record():
    world = commune()
    victim = CitizenFactory(personal_id=VICTIM_ID, full_name="Real Victim")  # verified at a desk
    client = register_client("Ứng dụng tỉnh", [Scope.DOSSIERS_SUBMIT])
    portal = Client(HTTP_AUTHORIZATION=f"Api-Key {issue_key(client)}")
    answer = portal.post("/api/v1/dossiers/", {
        "procedure": world.code, "applicant": {"personal_id": VICTIM_ID, "full_name": "Someone Else"},
        "data": {"full_name": "x", "commune": world.agency.code},
    }, content_type="application/json")  # fmt: skip
    assert answer.status_code == 400 and answer.json()["code"] == "identity_mismatch"
    assert "applicant.full_name" in answer.json()["errors"]
    assert victim.dossiers.count() == 0
    assert AuditRecord.objects.filter(action="identity.name_mismatch", object_id=str(victim.pk)).exists()


@pytest.fixture
def provider(settings):
    claims = {"sub": "vneid-real-victim", "name": "Real Victim", "personal_id": VICTIM_ID}
    running = Provider("mot-cua", "s3cret-for-tests-0123456789abcdef", claims)
    settings.OIDC_RP_CLIENT_ID = "mot-cua"
    settings.OIDC_RP_CLIENT_SECRET = "s3cret-for-tests-0123456789abcdef"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{running.url}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{running.url}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{running.url}/userinfo"
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    yield running
    running.stop()


def eid_login(provider, client):
    start = client.get("/oidc/authenticate/", {"next": "/my/dossiers/"})
    back = requests.get(start["Location"], allow_redirects=False, timeout=5)
    return client.get(back.headers["Location"].replace("http://testserver", ""))


def test_the_e_id_never_enters_an_account_whose_number_was_only_typed(provider):
    squatter = CitizenFactory(unproved=True, personal_id=VICTIM_ID, full_name="Attacker Mallory",
                              email="mallory@evil.example")  # fmt: skip
    victim_browser = Client()
    assert eid_login(provider, victim_browser)["Location"] == "/my/dossiers/"
    victim = User.objects.get(eid_subject="vneid-real-victim")
    assert victim != squatter and victim.personal_id_verified_via == "eid"
    assert int(victim_browser.session["_auth_user_id"]) == victim.pk
    squatter.refresh_from_db()
    assert squatter.full_name == "Attacker Mallory" and squatter.eid_subject is None  # not renamed, not bound
    # Next time the subject alone finds the account.
    provider.claims = {**provider.claims, "name": "Renamed By Provider"}
    eid_login(provider, Client())
    victim.refresh_from_db()
    assert User.objects.filter(personal_id=VICTIM_ID).count() == 2 and victim.full_name == "Real Victim"


def test_the_e_id_binds_to_the_account_an_officer_verified_when_the_name_matches(provider):
    verified = CitizenFactory(personal_id=VICTIM_ID, full_name="Real Victim")
    browser = Client()
    eid_login(provider, browser)
    verified.refresh_from_db()
    assert verified.eid_subject == "vneid-real-victim" and int(browser.session["_auth_user_id"]) == verified.pk
    other = CitizenFactory(personal_id="045099054321", full_name="Nguyễn Văn Khác")
    provider.claims = {"sub": "vneid-someone", "name": "Kẻ Mạo Danh", "personal_id": "045099054321"}
    refused = eid_login(provider, Client())
    assert "/accounts/login/" in refused["Location"]
    other.refresh_from_db()
    assert other.eid_subject is None
    assert AuditRecord.objects.filter(action="identity.name_mismatch", object_id=str(other.pk)).exists()


def test_existing_accounts_start_unverified():
    user = User.objects.create_user("legacy", email="Legacy@Example.VN", password=PASSWORD, personal_id=VICTIM_ID)
    assert not user.personal_id_verified and user.verified_email == ""
    assert user.email == "legacy@example.vn"  # stored in one spelling


# --- M8: e-mail and phone become logins and addresses once proved -------------------------


def test_registration_proves_the_address_with_a_code_before_it_logs_in(django_capture_on_commit_callbacks):
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        answer = register(browser, full_name="Lê Thị Mới", email="Moi.Le@Example.VN")
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/verify/")
    assert "_auth_user_id" not in browser.session  # not logged in yet
    user = User.objects.get(full_name="Lê Thị Mới")
    assert user.email == "moi.le@example.vn" and user.email_verified_at is None
    assert not user.username.startswith("moi") and "@" not in user.username  # a generated username
    assert Client().post("/accounts/login/", {"username": "moi.le@example.vn", "password": PASSWORD}).status_code == 200
    code = code_sent_to("moi.le@example.vn")
    wrong = browser.post("/accounts/verify/", {"channel": "email", "code": "000000" if code != "000000" else "111111"})
    assert wrong.status_code == 400 and ContactProof.objects.get(user=user).attempts == 1
    done = browser.post("/accounts/verify/", {"channel": "email", "code": code})
    assert done.status_code == 302 and int(browser.session["_auth_user_id"]) == user.pk
    user.refresh_from_db()
    assert user.verified_email == "moi.le@example.vn"
    login = Client().post("/accounts/login/", {"username": "MOI.LE@example.vn", "password": PASSWORD})
    assert login.status_code == 302


def test_a_squatted_address_neither_blocks_its_owner_nor_receives_their_mail(django_capture_on_commit_callbacks):
    owner = CitizenFactory(email="binh.tran@example.vn", phone="0987654321", password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        register(Client(), email="BINH.TRAN@EXAMPLE.VN")
        register(Client(), phone="0987 654 321")
    for login in ["binh.tran@example.vn", "0987654321", "+84987654321", "0987.654.321"]:
        assert Client().post("/accounts/login/", {"username": login, "password": PASSWORD}).status_code == 302, login
    # The squatter cannot prove the owner's address (the code goes to the owner), nor take it over.
    squatter = User.objects.filter(email="binh.tran@example.vn").exclude(pk=owner.pk).get()
    proof = ContactProof.objects.filter(user=squatter).first()
    assert proof.value == "binh.tran@example.vn"
    with pytest.raises(ValidationError):
        contacts.confirm(squatter, "email", "123456")
    # A password reset goes to the proved account only.
    mail.outbox.clear()
    Client().post("/accounts/password-reset/", {"email": "Binh.Tran@example.vn"})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["binh.tran@example.vn"]
    assert f"/accounts/reset/{urlsafe_base64_encode(force_bytes(owner.pk))}/" in mail.outbox[0].body


def test_an_address_proved_by_one_account_cannot_be_proved_by_another(django_capture_on_commit_callbacks):
    owner = CitizenFactory(email="an@example.vn")
    other = CitizenFactory(unproved=True, email="an@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        contacts.send_code(other, ContactProof.Channel.EMAIL)
    with pytest.raises(ValidationError, match="another account"):
        contacts.confirm(other, ContactProof.Channel.EMAIL, code_sent_to("an@example.vn"))
    other.refresh_from_db()
    assert other.email_verified_at is None and owner.verified_email == "an@example.vn"


def test_messages_go_to_proved_addresses_only(django_capture_on_commit_callbacks):
    from egov.dossiers import services
    from egov.notifications.models import Notification

    world = commune()
    world.citizen.email_verified_at = None
    world.citizen.save()
    with django_capture_on_commit_callbacks(execute=True):
        from tests.factories import submitted

        submitted(world)
    assert not Notification.objects.filter(recipient=world.citizen, channel="email").exists()
    assert Notification.objects.filter(recipient=world.citizen, channel="sms").exists()  # the phone is proved
    assert services  # the submission went through the services


# --- H2: lockouts that hold -------------------------------------------------------------


@pytest.fixture
def axes(settings):
    settings.AXES_ENABLED = True


def test_a_failed_login_counts_against_the_account_whatever_the_spelling(axes, settings):
    owner = CitizenFactory(username="congdan2", email="binh.tran@example.vn", phone="0987654321", password=PASSWORD)
    spellings = ["congdan2", "CONGDAN2", "Binh.Tran@Example.VN", "+84987654321", "0987 654 321"]
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        Client().post("/accounts/login/", {"username": spellings[attempt % len(spellings)], "password": "wrong"})
    for login in spellings:  # locked: no spelling gets in, even with the right password
        answer = Client().post("/accounts/login/", {"username": login, "password": PASSWORD})
        assert answer.status_code == 429, login
    assert owner.is_active


def test_one_address_trying_many_accounts_is_stopped(axes, settings):
    settings.EGOV_LOGIN_ADDRESS_RATE = "8/hour"
    settings.AXES_FAILURE_LIMIT = 100  # so that only the address limit can stop it
    CitizenFactory(username="victim", password=PASSWORD)
    for n in range(8):
        Client().post("/accounts/login/", {"username": f"someone{n}", "password": "wrong"})
    stopped = Client().post("/accounts/login/", {"username": "victim", "password": PASSWORD})
    assert stopped.status_code == 429
    # Another address is not affected; rotating X-Forwarded-For changes nothing without trusted proxies.
    assert Client(REMOTE_ADDR="10.0.0.9").post("/accounts/login/", {"username": "victim", "password": PASSWORD}
                                              ).status_code == 302  # fmt: skip
    spoofed = Client(HTTP_X_FORWARDED_FOR="203.0.113.7").post("/accounts/login/",
                                                             {"username": "victim", "password": PASSWORD})
    assert spoofed.status_code == 429


def test_behind_a_trusted_proxy_the_address_is_read_from_the_right(settings, rf):
    from egov.common.ratelimit import client_address

    settings.EGOV_TRUSTED_PROXIES = 1
    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4", REMOTE_ADDR="10.0.0.1")
    assert client_address(request) == "198.51.100.4"  # what the proxy saw, not what the client wrote
    settings.EGOV_TRUSTED_PROXIES = 0
    assert client_address(request) == "10.0.0.1"


# --- M6 and L1: the second factor follows power; staff tokens ----------------------------


@pytest.fixture
def two_factor(settings):
    settings.EGOV_STAFF_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


def test_a_role_given_in_the_admin_makes_a_citizen_staff_with_a_second_factor(two_factor):
    world = commune()
    citizen = CitizenFactory(password=PASSWORD)
    RoleAssignment.objects.create(user=citizen, role=Role.CENTER_MANAGER, agency=world.agency)  # as the admin does
    citizen.refresh_from_db()
    assert citizen.kind == User.Kind.STAFF
    browser = Client()
    assert browser.post("/accounts/login/", {"username": citizen.username, "password": PASSWORD}).status_code == 302
    for path in ["/api/v1/tasks/?scope=unit", "/dashboard/"]:
        answer = browser.get(path)
        assert answer.status_code in (302, 403), path
        assert answer.status_code == 302 or answer.json()["code"] == "second_factor_required"


def test_staff_tokens_need_the_second_factor_and_are_hashed_scoped_and_expiring(two_factor, capsys):
    from django.core.management import CommandError, call_command

    agency = AgencyFactory()
    staff = officer(Role.CASE_OFFICER, agency)
    with pytest.raises(CommandError, match="authenticator"):
        call_command("issue_token", staff.username)
    device = TOTPDevice.objects.create(user=staff, name="authenticator", confirmed=True)
    call_command("issue_token", staff.username, "--otp", f"{totp(device.bin_key):06d}", "--read-only")
    token = capsys.readouterr().out.strip()
    stored = PersonalToken.objects.get(user=staff)
    assert token.split(".")[1] not in stored.digest and stored.scope == "read"
    api = Client(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/tasks/?scope=queue").status_code == 200  # the proof was at minting
    assert api.post("/api/v1/dossiers/", {}, content_type="application/json").status_code == 403  # read only
    stored.expires_at = timezone.now() - datetime.timedelta(seconds=1)
    stored.save()
    assert api.get("/api/v1/tasks/?scope=queue").status_code == 401


def test_a_citizen_makes_and_revokes_a_token_on_the_account_page():
    citizen = CitizenFactory()
    browser = Client()
    browser.force_login(citizen)
    page = browser.post("/accounts/tokens/", {"action": "create", "name": "Ứng dụng di động", "scope": "write"})
    token = page.context["made"]
    assert Client(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/dossiers/").status_code == 200
    browser.post("/accounts/tokens/", {"action": "revoke", "prefix": token.split(".")[0]})
    assert Client(HTTP_AUTHORIZATION=f"Token {token}").get("/api/v1/dossiers/").status_code == 401


def test_usernames_never_carry_a_personal_id_number():
    world = commune()
    walk_in = identity.applicant_at_desk(world.intake, VICTIM_ID, "Real Victim", id_card_seen=True)
    assert VICTIM_ID not in walk_in.username


def test_a_walk_in_signs_in_with_a_code_to_the_phone_given_at_the_desk_then_sets_a_password(
    django_capture_on_commit_callbacks,
):
    world = commune()
    walk_in = identity.applicant_at_desk(world.intake, VICTIM_ID, "Real Victim", email="Real.Victim@Example.VN",
                                         id_card_seen=True)  # fmt: skip
    assert not walk_in.has_usable_password() and walk_in.verified_email == ""
    browser = Client()
    with django_capture_on_commit_callbacks(execute=True):
        sent = browser.post("/accounts/code/", {"address": "real.victim@example.vn"})
    assert sent.status_code == 302 and sent["Location"].startswith("/accounts/verify/")
    done = browser.post("/accounts/verify/", {"channel": "email", "code": code_sent_to("real.victim@example.vn")})
    assert done["Location"] == "/accounts/password/"  # in, and asked for a password of their own
    browser.post("/accounts/password/", {"new_password1": PASSWORD, "new_password2": PASSWORD})
    walk_in.refresh_from_db()
    assert walk_in.verified_email == "real.victim@example.vn" and walk_in.check_password(PASSWORD)
    login = Client().post("/accounts/login/", {"username": "real.victim@example.vn", "password": PASSWORD})
    assert login.status_code == 302


def test_a_code_is_never_sent_to_a_self_declared_address_and_the_answer_is_the_same(django_capture_on_commit_callbacks):
    CitizenFactory(unproved=True, email="typed@example.vn", password=PASSWORD)  # registered by itself, unproved
    with django_capture_on_commit_callbacks(execute=True):
        known = Client().post("/accounts/code/", {"address": "typed@example.vn"})
        unknown = Client().post("/accounts/code/", {"address": "nobody@example.vn"})
    assert known.status_code == unknown.status_code == 302 and known["Location"] == unknown["Location"]
    assert not [m for m in mail.outbox if "typed@example.vn" in m.to]
