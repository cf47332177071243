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
