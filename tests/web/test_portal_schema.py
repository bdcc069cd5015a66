"""Schemathesis over the portal's OpenAPI description: generated requests to every operation
never get a server error, and every answer matches what the schema says."""

from __future__ import annotations

import pytest

schemathesis = pytest.importorskip("schemathesis")
checks = pytest.importorskip("schemathesis.checks")
from hypothesis import HealthCheck, given, settings  # noqa: E402

from kumenet.web.app import create_app  # noqa: E402


def test_every_operation_answers_without_a_server_error(pilot_snapshot):
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(pilot_snapshot))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        def check(case):
            response = case.call()
            assert response.status_code < 500, (case.path, case.query, response.text[:300])
            # A schema-valid string need not be valid SQL: a 400 there is the right answer.
            case.validate_response(response, excluded_checks=[
                checks.positive_data_acceptance])

        check()
