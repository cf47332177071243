"""Every JSON endpoint of the API, fed hostile bodies (security review 2026-12, L5): deeply
nested JSON, NUL characters in every property, exponent numbers, wrong types, oversized and
truncated bodies. Not one answer is a server error; nothing is written by a refused call.
Runs on SQLite and, in the CI's second run, on PostgreSQL (where NUL used to fail)."""

import json

import pytest
from drf_spectacular.generators import SchemaGenerator

from egov.dossiers.models import Dossier
from tests.dossiers.helpers import client_for
from tests.factories import commune, draft, submitted

pytestmark = pytest.mark.django_db

DEEP = "[" * 3000 + "]" * 3000


def json_operations():
    """(method, path template, property names) of every operation with a JSON body."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    found = []
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            content = (operation.get("requestBody") or {}).get("content", {})
            if "application/json" not in content:
                continue
            body = content["application/json"]["schema"]
            if "$ref" in body:
                body = schema["components"]["schemas"][body["$ref"].rsplit("/", 1)[-1]]
            found.append((method.upper(), path, sorted((body.get("properties") or {}).keys())))
    return found


def hostile_bodies(properties):
    yield DEEP
    yield '{"a": ' * 2000 + "1" + "}" * 2000
    yield "{not json"
    yield json.dumps({"x": "\u0000"})
    nested = 1
    for _ in range(40):
        nested = [nested]
    oddities = ("nul\u0000here", "1e200000", 1e308, -(2**70), nested, {"\u0000": 1},
                {"documents": [["x"]], "fields": None, "copies": "1e9999999"}, None, True)  # fmt: skip
    for name in properties or ["data"]:
        for value in oddities:
            yield json.dumps({name: value})


def test_no_json_endpoint_answers_a_server_error_to_hostile_bodies():
    world = commune()
    a_draft = draft(world)
    waiting = submitted(world)
    task = waiting.tasks.get(flow_task_type="HUMAN", status="NEW")
    ids = {"{id}": None, "{code}": world.code}
    callers = {"citizen": client_for(world.citizen), "officer": client_for(world.intake)}
    before = Dossier.objects.count()
    problems = []
    for method, template, properties in json_operations():
        if "/tasks/" in template:
            ids["{id}"] = str(task.pk)
        elif "/dossiers/" in template:
            ids["{id}"] = str(a_draft.pk if method == "PATCH" else waiting.pk)
        path = template
        for placeholder, value in ids.items():
            path = path.replace(placeholder, str(value))
        for who, api in callers.items():
            for body in hostile_bodies(properties):
                answer = api.generic(method, path, body, content_type="application/json")
                if answer.status_code >= 500 or not answer["Content-Type"].startswith("application/json"):
                    problems.append((method, template, who, body[:60], answer.status_code))
    assert problems == []
    assert Dossier.objects.count() == before  # no hostile body created anything
    assert json_operations(), "the schema lists JSON operations"
