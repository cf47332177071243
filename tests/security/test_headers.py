"""Headers: a strict Content-Security-Policy on our pages, staff sessions that expire."""

import pytest
from django.test import Client

from egov.common.vocabulary import Role
from tests.factories import AgencyFactory, CitizenFactory, officer, published

pytestmark = pytest.mark.django_db


def test_portal_pages_have_a_strict_policy():
    procedure = published().procedure
    answer = Client().get(f"/procedures/{procedure.code}/")
    assert answer.status_code == 200
    policy = answer["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_staff_sessions_expire_when_idle(settings):
    staff = Client()
    staff.force_login(officer(Role.INTAKE_OFFICER, AgencyFactory()))
    staff.get("/notices/")
    assert staff.session.get_expiry_age() == settings.EGOV_STAFF_SESSION_IDLE_SECONDS
    citizen = Client()
    citizen.force_login(CitizenFactory())
    citizen.get("/notices/")
    assert citizen.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_nul_characters_are_a_clean_400(api):
    assert api.get("/api/v1/procedures/?q=a%00b").status_code == 400
    assert Client().get("/procedures/?q=%00").status_code == 400
