"""The OpenAPI schema builds without a warning and documents every resource."""

from io import StringIO

from django.core.management import call_command


def test_schema_builds_clean_and_lists_the_resources(db):
    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    schema = out.getvalue()
    for path in ["/api/v1/procedures/", "/api/v1/dossiers/{id}/submit/", "/api/v1/tasks/{id}/complete/",
                 "/api/v1/track/{code}/", "/api/v1/calendar/due-date/", "/api/v1/events/types/",
                 "/api/v1/dossiers/{id}/documents/", "/api/v1/register/"]:
        assert f"{path}:" in schema, path
    assert "apiKey" in schema


def test_event_catalogue(api, db):
    types = api.get("/api/v1/events/types/").json()["types"]
    names = {row["type"] for row in types}
    assert {"dossier.submitted", "dossier.accepted", "dossier.returned", "dossier.document_generated"} <= names
    assert all(row["data_schema"]["type"] == "object" for row in types)


def test_idempotent_posts(db):
    from egov.dossiers.models import Dossier
    from tests.dossiers.helpers import client_for
    from tests.factories import CitizenFactory, commune

    world = commune()
    client = client_for(world.citizen)
    body = {"procedure": world.code, "data": {"full_name": world.citizen.full_name, "commune": world.agency.code}}
    first = client.post("/api/v1/dossiers/", body, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    again = client.post("/api/v1/dossiers/", body, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"] and again["Idempotent-Replayed"] == "true"
    assert Dossier.objects.filter(applicant=world.citizen).count() == 1
    other = client.post("/api/v1/dossiers/", {**body, "data": {}}, format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert other.status_code == 422 and other.json()["code"] == "idempotency_key_reused"
    # Keys are per user: another citizen's identical key is a new request.
    assert client_for(CitizenFactory()).post("/api/v1/dossiers/", body, format="json",
                                             HTTP_IDEMPOTENCY_KEY="abc-1").status_code == 201
