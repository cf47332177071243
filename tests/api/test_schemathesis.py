"""Property-based API testing from the OpenAPI schema: no server error, no response that
breaks the schema, whatever the input (schemathesis + hypothesis, in-process WSGI)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from egov.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/schema/", application)


@pytest.fixture
def token(demo):
    """A procedure administrator's token; requests run in the test's transaction."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from egov.accounts.services import issue_token

    # As Django's test client does: a request must not close the test's connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield issue_token(demo["quantri"])
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_fails(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"},
                           checks=[not_a_server_error, response_schema_conformance])  # fmt: skip
