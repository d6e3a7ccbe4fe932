"""Issue 12, item 15: schemathesis over ``/api/v1/openapi.json`` against the real server.

Every operation of the OpenAPI document gets generated requests, valid and invalid
(schemathesis's positive and negative modes), signed in as each role in turn (and not
signed in), over real HTTP to the real server on SQLite, and on PostgreSQL when
``GULOU_TEST_DATABASE_URL`` is set. It fails on any 5xx and on any answer that does not
match the document. Bounded for CI: a fixed seed (derandomized), a fixed number of
examples per operation and mode, and a time budget per lane (what is left over budget is
skipped and said so). The figures (cases, 5xx) are printed per lane.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error, response_schema_conformance

from tests.conftest import LiveServer
from tests.world import Api, build_world

ROLES = ("worker1", "clerk1", "supervisor1", "admin", None)
EXAMPLES = 30
"""Per operation and generation mode: about 2 × 15 × 30 cases per lane."""
BUDGET_SECONDS = 120.0


@pytest.mark.slow
def test_no_operation_answers_5xx_or_off_schema(live_server: LiveServer) -> None:
    build_world(live_server.engine)
    tokens = {role: Api(live_server.api).login(role).token for role in ROLES if role}
    schema = schemathesis.openapi.from_url(live_server.api + "/openapi.json")
    http = requests.Session()
    cases = errors = 0
    failures: list[str] = []
    skipped: list[str] = []
    served: set[str] = set()
    started = time.monotonic()

    def fuzz(operation: Any, mode: GenerationMode) -> None:
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode), role=st.sampled_from(ROLES))
        def call(case: Any, role: str | None) -> None:
            nonlocal cases, errors
            headers = {}
            if role and not case.path.endswith("/auth/logout"):  # keep the sessions
                headers["Authorization"] = f"Bearer {tokens[role]}"
            cases += 1
            response = case.call(base_url=live_server.url, session=http, headers=headers)
            if response.status_code >= 500:
                errors += 1
            elif response.status_code < 300 and role:
                served.add(operation.label)
            try:
                case.validate_response(response, checks=[not_a_server_error,
                                                        response_schema_conformance])
            except Exception as exc:  # recorded; the next case goes on
                failures.append(f"{operation.label} as {role}: {str(exc)[:300]}")

        with contextlib.suppress(Unsatisfiable):  # no invalid request exists for it
            call()

    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in GenerationMode:
            if time.monotonic() - started > BUDGET_SECONDS:
                skipped.append(f"{operation.label} ({mode.value})")
            else:
                fuzz(operation, mode)

    lane = live_server.engine.dialect.name
    print(f"\nschemathesis {lane}: {cases} cases, {errors} answered 5xx, "
          f"{len(failures)} failed checks, {time.monotonic() - started:.0f} s"
          + (f"; over budget, not run: {', '.join(skipped)}" if skipped else ""))
    assert {"GET /api/v1/sync/pull", "POST /api/v1/sync/push"} <= served  # not all 401s
    assert errors == 0, failures[:5]
    assert not failures, failures[:5]
