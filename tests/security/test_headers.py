"""Headers: a strict Content-Security-Policy on our pages, staff sessions that expire."""

from django.test import Client


def test_portal_pages_have_a_strict_policy(demo):
    answer = Client().get("/procedures/2.000575/")
    policy = answer["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_staff_sessions_expire_when_idle(demo, settings):
    staff = Client()
    staff.force_login(demo["tiepnhan.dongha"])
    staff.get("/notices/")
    assert staff.session.get_expiry_age() == settings.EGOV_STAFF_SESSION_IDLE_SECONDS
    citizen = Client()
    citizen.force_login(demo["congdan"])
    citizen.get("/notices/")
    assert citizen.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_nul_characters_are_a_clean_400(demo, api):
    assert api.get("/api/v1/procedures/?q=a%00b").status_code == 400
    assert Client().get("/procedures/?q=%00").status_code == 400
