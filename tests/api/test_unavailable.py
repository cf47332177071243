"""A database that is restarting answers 503 with Retry-After, not a bare 500."""

from django.db import OperationalError
from django.test import Client

from tests.factories import published


def _down(*args, **kwargs):
    raise OperationalError("server closed the connection unexpectedly")


def test_api_and_pages_say_briefly_unavailable(db, api, monkeypatch):
    from egov.catalog import selectors

    published()  # a catalogue to list, were the database up

    monkeypatch.setattr(selectors, "in_force", _down)
    answer = api.get("/api/v1/procedures/")
    assert answer.status_code == 503 and answer["Retry-After"] == "5"
    assert answer.json()["code"] == "unavailable"
    page = Client().get("/procedures/")
    assert page.status_code == 503 and "Briefly unavailable" in page.content.decode()
