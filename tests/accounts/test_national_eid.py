"""Logging in with the national e-ID through OpenID Connect, against a local provider."""

import pytest
import requests
from django.test import Client

from egov.accounts.models import User

from .oidc_provider import Provider


@pytest.fixture
def provider(settings):
    claims = {"sub": "vneid-0001", "name": "Phạm Thị Định Danh", "personal_id": "045190007777"}
    running = Provider("mot-cua", "s3cret-for-tests-0123456789abcdef", claims)
    settings.OIDC_RP_CLIENT_ID = "mot-cua"
    settings.OIDC_RP_CLIENT_SECRET = "s3cret-for-tests-0123456789abcdef"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{running.url}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{running.url}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{running.url}/userinfo"
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    yield running
    running.stop()


def login_through(provider, client):
    start = client.get("/oidc/authenticate/", {"next": "/my/dossiers/"})
    assert start.status_code == 302 and start["Location"].startswith(provider.url)
    back = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert back.status_code == 302
    callback = back.headers["Location"].replace("http://testserver", "")
    return client.get(callback)


def test_first_login_creates_the_citizen_then_recognises_them(db, provider):
    client = Client()
    done = login_through(provider, client)
    assert done.status_code == 302 and done["Location"] == "/my/dossiers/"
    user = User.objects.get(personal_id="045190007777")
    assert user.kind == "citizen" and user.full_name == "Phạm Thị Định Danh"
    assert client.get("/my/dossiers/").status_code == 200
    again = Client()
    login_through(provider, again)
    assert User.objects.filter(personal_id="045190007777").count() == 1


def test_a_claim_without_a_valid_personal_id_is_refused(db, provider):
    provider.claims = {"sub": "x", "name": "Không Số", "personal_id": "123"}
    client = Client()
    done = login_through(provider, client)
    assert done.status_code == 302 and "/accounts/login/" in done["Location"]
    assert not User.objects.filter(full_name="Không Số").exists()


def test_disabled_without_configuration(db):
    assert Client().get("/oidc/authenticate/").status_code == 404
    assert "VNeID" not in Client().get("/accounts/login/").content.decode()
