import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "received, days, due",
    [
        ("2026-04-24", 3, "2026-05-04"),
        ("2026-02-13", 5, "2026-02-27"),
        ("2026-04-29", 10, "2026-05-15"),
        ("2026-12-31", 15, "2027-01-22"),
        ("2027-02-03", 5, "2027-02-17"),
    ],
)
def test_due_date_endpoint_returns_worked_examples(api, received, days, due):
    response = api.get("/api/v1/calendar/due-date/", {"received": f"{received}T09:00:00+07:00", "working_days": days})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["due_date"] == due
    assert body["due"] == f"{due}T17:00:00+07:00"
    assert body["rule"] == "civil_code"


def test_same_day_friday_1530_before_holiday_monday(api):
    response = api.get(
        "/api/v1/calendar/due-date/", {"received": "2026-04-24T15:30:00+07:00", "same_day": "true", "cutoff": "15:00"}
    )
    assert response.status_code == 200
    assert response.json()["due_date"] == "2026-04-28"


def test_bad_query_is_a_clear_400(api):
    response = api.get("/api/v1/calendar/due-date/", {"received": "yesterday", "working_days": 3})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "received" in body["errors"]
    response = api.get("/api/v1/calendar/due-date/", {"received": "2026-04-24T09:00:00+07:00"})
    assert response.status_code == 400
    assert "non_field_errors" in response.json()["errors"]


def test_due_date_is_in_the_openapi_schema(api):
    response = api.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "/api/v1/calendar/due-date/" in response.json()["paths"]
