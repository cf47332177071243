"""Apps acting as a citizen (OAuth 2.0 authorisation code with PKCE S256, egov/accounts/oauth/),
driven through the real endpoints as an app and a browser would: the consent page, /o/token/,
the API with ``Authorization: Bearer``, the account page's revoke button, /o/revoke_token/,
/o/introspect/. Assertions read codes and data attributes, not translated words."""

import base64
import datetime
import hashlib
import secrets
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken

from egov.audit.admin_changes import HIDDEN
from egov.audit.models import AuditRecord
from egov.common.vocabulary import Role
from egov.privacy.services import anonymise, request_erasure
from tests.factories import AppFactory, CitizenFactory, StaffFactory, administrator, commune, draft, officer
from tests.forms import read_form

pytestmark = pytest.mark.django_db

REDIRECT = "https://app.example.vn/callback"
BOTH = "dossiers:read dossiers:write"


def pkce():
    """A code verifier and its S256 challenge (RFC 7636)."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def browser_of(person):
    browser = Client()
    browser.force_login(person)
    return browser


def ask(browser, app, challenge, scope=BOTH, **more):
    """The app sends the person's browser to the authorisation endpoint."""
    params = {"response_type": "code", "client_id": app.client_id, "redirect_uri": REDIRECT, "scope": scope,
              "state": "st-42", "code_challenge": challenge, "code_challenge_method": "S256", **more}  # fmt: skip
    return browser.get("/o/authorize/", {key: value for key, value in params.items() if value is not None})


def answer(browser, page, button):
    """The person presses Allow or Deny on the consent page."""
    data = read_form(page.content.decode(), "consent-form")
    data[button] = "on"
    return browser.post("/o/authorize/", data)


def query_of(response):
    assert response.status_code == 302, response.content.decode()[:2000]
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT
    return {key: values[0] for key, values in parse_qs(location.query).items()}


def exchange(app, code, verifier, **more):
    return Client().post("/o/token/", {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
                                       "client_id": app.client_id, "code_verifier": verifier, **more})  # fmt: skip


def tokens_for(person, app, scope=BOTH, secret=None):
    """The whole dance: consent, Allow, the code exchanged (by a confidential app with its
    ``secret``); the token endpoint's answer."""
    verifier, challenge = pkce()
    browser = browser_of(person)
    code = query_of(answer(browser, ask(browser, app, challenge, scope), "allow"))["code"]
    issued = exchange(app, code, verifier, **({"client_secret": secret} if secret else {}))
    assert issued.status_code == 200, issued.content
    return issued.json()


def api(access_token):
    return Client(HTTP_AUTHORIZATION=f"Bearer {access_token}")


def test_a_citizen_allows_an_app_which_then_sees_only_their_own_dossiers():
    world = commune()
    mine = [draft(world), draft(world)]
    neighbour = CitizenFactory()
    draft(world, citizen=neighbour)
    app = AppFactory(name="Dịch vụ công Quảng Trị")
    verifier, challenge = pkce()
    browser = browser_of(world.citizen)

    consent = ask(browser, app, challenge)
    assert consent.status_code == 200
    page = consent.content.decode()
    assert "Dịch vụ công Quảng Trị" in page
    assert 'data-scope="dossiers:read"' in page and 'data-scope="dossiers:write"' in page
    # People's words, not the codes: the labels of the vocabulary are what is listed.
    assert [scope.value for scope in consent.context["scopes"]] == ["dossiers:read", "dossiers:write"]
    policy = consent["Content-Security-Policy"]
    assert "https://app.example.vn" in policy.split("form-action")[1].split(";")[0]

    back = query_of(answer(browser, consent, "allow"))
    assert back["state"] == "st-42" and back["iss"].endswith("/o") and back["code"]
    assert Grant.objects.get().code_challenge_method == "S256"
    assert AuditRecord.objects.filter(action="account.app_allowed", actor=world.citizen).exists()

    issued = exchange(app, back["code"], verifier)
    assert issued.status_code == 200, issued.content
    body = issued.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 600 and body["refresh_token"]
    assert set(body["scope"].split()) == {"dossiers:read", "dossiers:write"}
    stored = AccessToken.objects.get()
    assert stored.token == "" and stored.user == world.citizen  # stored as a checksum only

    listed = api(body["access_token"]).get("/api/v1/dossiers/")
    assert listed.status_code == 200
    assert {item["id"] for item in listed.json()["results"]} == {str(dossier.pk) for dossier in mine}
    # The code was used once: a second exchange is refused.
    assert exchange(app, back["code"], verifier).json()["error"] == "invalid_grant"


def test_a_wrong_verifier_gets_no_token():
    app = AppFactory()
    _verifier, challenge = pkce()
    browser = browser_of(CitizenFactory())
    code = query_of(answer(browser, ask(browser, app, challenge), "allow"))["code"]
    refused = exchange(app, code, pkce()[0])
    assert refused.status_code == 400 and refused.json()["error"] == "invalid_grant"
    assert not AccessToken.objects.exists()


def test_pkce_is_required_and_only_s256():
    app = AppFactory()
    browser = browser_of(CitizenFactory())
    _verifier, challenge = pkce()
    missing = query_of(ask(browser, app, None, code_challenge_method=None))
    assert missing["error"] == "invalid_request" and missing["state"] == "st-42"
    plain = query_of(ask(browser, app, challenge, code_challenge_method="plain"))
    assert plain["error"] == "invalid_request"
    # Neither was shown a consent page nor left a code.
    assert not Grant.objects.exists()


def test_a_code_lives_sixty_seconds():
    app = AppFactory()
    verifier, challenge = pkce()
    browser = browser_of(CitizenFactory())
    code = query_of(answer(browser, ask(browser, app, challenge), "allow"))["code"]
    grant = Grant.objects.get()
    assert 55 <= (grant.expires - timezone.now()).total_seconds() <= 60
    Grant.objects.update(expires=timezone.now() - datetime.timedelta(seconds=1))
    assert exchange(app, code, verifier).json()["error"] == "invalid_grant"


def test_a_read_only_token_reads_and_a_write_token_acts_as_the_citizen():
    world = commune()
    app = AppFactory()
    reader = tokens_for(world.citizen, app, scope="dossiers:read")
    assert reader["scope"] == "dossiers:read"
    body = {"procedure": world.code, "data": {"full_name": world.citizen.full_name, "commune": world.agency.code}}
    assert api(reader["access_token"]).get("/api/v1/dossiers/").status_code == 200
    refused = api(reader["access_token"]).post("/api/v1/dossiers/", body, content_type="application/json")
    assert refused.status_code == 403

    writer = tokens_for(world.citizen, app, scope="dossiers:write")
    made = api(writer["access_token"]).post("/api/v1/dossiers/", body, content_type="application/json")
    assert made.status_code == 201, made.content
    from egov.dossiers.models import Dossier

    assert Dossier.objects.get(pk=made.json()["id"]).applicant == world.citizen


def test_no_scope_asked_means_reading_only():
    app = AppFactory()
    assert tokens_for(CitizenFactory(), app, scope=None)["scope"] == "dossiers:read"


@pytest.mark.parametrize("who", ["staff", "officer", "superuser"])
def test_staff_and_administrators_cannot_allow_apps(who):
    person = {
        "staff": lambda: StaffFactory(),
        "officer": lambda: officer(Role.CASE_OFFICER, commune().agency, user=CitizenFactory()),
        "superuser": administrator,
    }[who]()
    app = AppFactory()
    verifier, challenge = pkce()
    browser = browser_of(person)
    refused = ask(browser, app, challenge)
    assert refused.status_code == 403 and 'data-refusal="not-a-citizen"' in refused.content.decode()
    posted = browser.post("/o/authorize/", {"client_id": app.client_id, "redirect_uri": REDIRECT, "allow": "on",
                                            "response_type": "code", "scope": BOTH, "code_challenge": challenge,
                                            "code_challenge_method": "S256"})  # fmt: skip
    assert posted.status_code == 403
    assert not Grant.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in_first():
    app = AppFactory()
    page = ask(Client(), app, pkce()[1])
    assert page.status_code == 302 and page["Location"].startswith("/accounts/login/?next=/o/authorize/")


def test_deny_sends_access_denied_back_to_the_app():
    app = AppFactory()
    browser = browser_of(CitizenFactory())
    back = query_of(answer(browser, ask(browser, app, pkce()[1]), "deny"))
    assert back == {"error": "access_denied", "state": "st-42"}
    assert not Grant.objects.exists()


def test_the_consent_page_is_always_shown_and_answers_only_registered_addresses():
    app = AppFactory(skip_authorization=True)
    browser = browser_of(CitizenFactory())
    _verifier, challenge = pkce()
    assert ask(browser, app, challenge, approval_prompt="auto").status_code == 200  # asked all the same
    # An address not registered exactly: an error page here, never a redirect there.
    elsewhere = ask(browser, app, challenge, redirect_uri=REDIRECT + "/../evil")
    assert elsewhere.status_code == 400 and 'data-refusal="invalid-request"' in elsewhere.content.decode()
    # A consent form changed on the way to send the answer elsewhere is refused too.
    data = read_form(ask(browser, app, challenge).content.decode(), "consent-form")
    data.update(redirect_uri="https://evil.example/steal", deny="on")
    tampered = browser.post("/o/authorize/", data)
    assert tampered.status_code == 400 and not tampered.has_header("Location")


def test_refresh_tokens_rotate_and_a_replayed_one_ends_the_session():
    app = AppFactory()
    first = tokens_for(CitizenFactory(), app)
    refresh = {"grant_type": "refresh_token", "client_id": app.client_id}
    second = Client().post("/o/token/", {**refresh, "refresh_token": first["refresh_token"]}).json()
    assert second["access_token"] != first["access_token"] and second["refresh_token"] != first["refresh_token"]
    assert api(second["access_token"]).get("/api/v1/dossiers/").status_code == 200
    assert api(first["access_token"]).get("/api/v1/dossiers/").status_code == 401
    # The old refresh token again: a thief's replay. The whole family is revoked.
    replay = Client().post("/o/token/", {**refresh, "refresh_token": first["refresh_token"]})
    assert replay.json()["error"] == "invalid_grant"
    assert api(second["access_token"]).get("/api/v1/dossiers/").status_code == 401


def test_an_expired_token_fails():
    issued = tokens_for(CitizenFactory(), AppFactory())
    assert api(issued["access_token"]).get("/api/v1/dossiers/").status_code == 200
    AccessToken.objects.update(expires=timezone.now() - datetime.timedelta(seconds=1))
    assert api(issued["access_token"]).get("/api/v1/dossiers/").status_code == 401


def test_a_token_stops_working_when_its_citizen_becomes_staff_or_is_closed():
    person = CitizenFactory()
    issued = tokens_for(person, AppFactory())
    person.kind = "staff"
    person.save()
    assert api(issued["access_token"]).get("/api/v1/dossiers/").status_code == 401
    person.kind, person.is_active = "citizen", False
    person.save()
    assert api(issued["access_token"]).get("/api/v1/dossiers/").status_code == 401


def test_a_token_in_the_query_string_is_not_accepted():
    issued = tokens_for(CitizenFactory(), AppFactory())
    assert Client().get(f"/api/v1/dossiers/?access_token={issued['access_token']}").status_code == 401


def test_the_account_page_lists_allowed_apps_and_revokes_one():
    person = CitizenFactory()
    app, other = AppFactory(name="Ứng dụng A"), AppFactory(name="Ứng dụng B")
    issued = tokens_for(person, app)
    kept = tokens_for(person, other, scope="dossiers:read")
    api(issued["access_token"]).get("/api/v1/dossiers/")
    browser = browser_of(person)

    page = browser.get("/accounts/tokens/")
    listed = {entry.application.client_id: entry for entry in page.context["apps"]}
    assert set(listed) == {app.client_id, other.client_id}
    assert [scope.value for scope in listed[app.client_id].scopes] == ["dossiers:read", "dossiers:write"]
    assert listed[app.client_id].last_used_at is not None
    html = page.content.decode()
    assert f'data-app="{app.client_id}"' in html and f"/accounts/apps/{app.client_id}/revoke/" in html

    assert browser.get(f"/accounts/apps/{app.client_id}/revoke/").status_code == 405  # POST only
    revoked = browser.post(f"/accounts/apps/{app.client_id}/revoke/")
    assert revoked.status_code == 302 and revoked["Location"] == "/accounts/tokens/"
    assert api(issued["access_token"]).get("/api/v1/dossiers/").status_code == 401
    again = Client().post("/o/token/", {"grant_type": "refresh_token", "client_id": app.client_id,
                                        "refresh_token": issued["refresh_token"]})  # fmt: skip
    assert again.json()["error"] == "invalid_grant"
    assert api(kept["access_token"]).get("/api/v1/dossiers/").status_code == 200  # the other app keeps its access
    assert [entry.application for entry in browser.get("/accounts/tokens/").context["apps"]] == [other]
    assert AuditRecord.objects.filter(action="account.app_revoked", actor=person, object_id=str(app.pk)).exists()


def test_revoking_touches_only_ones_own_tokens():
    app = AppFactory()
    victim = tokens_for(CitizenFactory(), app)
    intruder = browser_of(CitizenFactory())
    intruder.post(f"/accounts/apps/{app.client_id}/revoke/")
    assert api(victim["access_token"]).get("/api/v1/dossiers/").status_code == 200


def test_staff_see_no_apps_section():
    page = browser_of(StaffFactory()).get("/accounts/tokens/")
    assert page.status_code == 200 and page.context["apps"] is None
    assert 'id="allowed-apps"' not in page.content.decode()


def test_an_app_revokes_its_own_token_at_the_revocation_endpoint():
    app = AppFactory()
    issued = tokens_for(CitizenFactory(), app)
    done = Client().post("/o/revoke_token/", {"token": issued["access_token"], "client_id": app.client_id})
    assert done.status_code == 200
    assert api(issued["access_token"]).get("/api/v1/dossiers/").status_code == 401
    assert not RefreshToken.objects.filter(revoked__isnull=True).exists()  # its refresh token went with it


def test_a_confidential_app_introspects_its_own_tokens_only():
    secret = "bi-mat-cua-ung-dung-may-chu"
    server = AppFactory(client_type="confidential", client_secret=secret)
    mobile = AppFactory()
    # A confidential app proves itself with its secret at the token endpoint too.
    assert exchange(server, "any-code", pkce()[0]).json()["error"] == "invalid_client"
    own = tokens_for(CitizenFactory(), server, scope="dossiers:read", secret=secret)
    foreign = tokens_for(CitizenFactory(), mobile)
    basic = "Basic " + base64.b64encode(f"{server.client_id}:{secret}".encode()).decode()
    asker = Client(HTTP_AUTHORIZATION=basic)
    seen = asker.post("/o/introspect/", {"token": own["access_token"]}).json()
    assert seen["active"] is True and seen["scope"] == "dossiers:read" and seen["client_id"] == server.client_id
    assert asker.post("/o/introspect/", {"token": foreign["access_token"]}).json() == {"active": False}
    assert asker.post("/o/introspect/", {"token": "nonsense"}).json() == {"active": False}
    # A public app has no secret to prove itself with.
    public = Client().post("/o/introspect/", {"token": foreign["access_token"], "client_id": mobile.client_id})
    assert public.status_code == 401
    wrong = Client(HTTP_AUTHORIZATION="Basic " + base64.b64encode(f"{server.client_id}:x".encode()).decode())
    assert wrong.post("/o/introspect/", {"token": own["access_token"]}).status_code == 401


def test_the_server_metadata_names_the_endpoints_and_s256_only():
    meta = Client().get("/o/.well-known/oauth-authorization-server").json()
    assert meta["authorization_endpoint"].endswith("/o/authorize/") and meta["token_endpoint"].endswith("/o/token/")
    assert meta["code_challenge_methods_supported"] == ["S256"]
    assert meta["grant_types_supported"] == ["authorization_code", "refresh_token"]
    assert meta["scopes_supported"] == ["dossiers:read", "dossiers:write"]


def test_erasure_removes_the_apps_tokens_and_codes():
    person = CitizenFactory()
    app = AppFactory()
    issued = tokens_for(person, app)
    browser = browser_of(person)
    answer(browser, ask(browser, app, pkce()[1]), "allow")  # a code never exchanged
    assert Grant.objects.filter(user=person).exists()
    anonymise(request_erasure(person, ""), administrator())
    for model in (Grant, AccessToken, RefreshToken):
        assert not model.objects.filter(user=person).exists(), model
    assert api(issued["access_token"]).get("/api/v1/dossiers/").status_code == 401


def test_apps_are_registered_by_superusers_only_and_audited():
    staff = StaffFactory(is_staff=True)
    from django.contrib.auth.models import Permission

    staff.user_permissions.set(Permission.objects.filter(content_type__app_label="oauth2_provider"))
    assert browser_of(staff).get("/admin/oauth2_provider/application/").status_code == 403
    assert browser_of(staff).get("/admin/oauth2_provider/accesstoken/").status_code == 403

    admin = administrator()
    browser = browser_of(admin)
    page = browser.get("/admin/oauth2_provider/application/add/")
    assert page.status_code == 200
    data = read_form(page.content.decode(), "application_form")
    data.update(name="Cổng Dịch vụ công quốc gia", client_type="confidential", redirect_uris=REDIRECT)
    saved = browser.post("/admin/oauth2_provider/application/add/", data)
    assert saved.status_code == 302, saved.content.decode()[:3000]
    app = Application.objects.get(name="Cổng Dịch vụ công quốc gia")
    assert app.authorization_grant_type == "authorization-code" and app.skip_authorization is False
    assert app.client_secret.startswith("md5$") or "$" in app.client_secret  # stored hashed
    entry = AuditRecord.objects.get(action="admin.add", object_id=str(app.pk))
    assert entry.actor == admin and entry.after["client_secret"] == HIDDEN
    # A redirect URI that is not https is refused.
    data.update(name="Khác", client_id="other-app", redirect_uris="http://app.example.vn/callback")
    refused = browser.post("/admin/oauth2_provider/application/add/", data)
    assert refused.status_code == 200 and list(refused.context["adminform"].form.errors) == ["redirect_uris"]
    assert not Application.objects.filter(name="Khác").exists()
    # Tokens are read-only records there.
    assert browser.get("/admin/oauth2_provider/accesstoken/").status_code == 200
    assert browser.get("/admin/oauth2_provider/accesstoken/add/").status_code == 403
