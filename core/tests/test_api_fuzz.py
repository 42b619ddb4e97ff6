"""A bounded fuzz run of the whole OpenAPI document (issue 14, point 12; ADR 0009).

Schemathesis generates requests for every operation of /api/v1/openapi.json (valid ones
from the schema, then invalid ones: both of its generation modes), sent in-process
through the WSGI application to the test database, authenticated as the national user
and without a token. Every answer must be below 500, and every error must be the
contract's JSON ``{"code", "message", "field"}`` (docs/input-limits.md).

Bounds (environment): at most ``SUNUCOOP_FUZZ_EXAMPLES`` examples per operation and mode
(default 12) within ``SUNUCOOP_FUZZ_SECONDS`` of wall clock per run (default 80): the
budget is shared among the operations still to run (each gets at least one example per
mode), so every operation is called and a slow machine runs fewer examples, not longer.
Each example runs in a savepoint rolled back afterwards, so that one write never poisons
the next on PostgreSQL and the data stay the world's.
"""

from __future__ import annotations

import contextlib
import json
import os
import time

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from accounts.services import api_token_issue

EXAMPLES = int(os.environ.get("SUNUCOOP_FUZZ_EXAMPLES", "12"))
BUDGET = float(os.environ.get("SUNUCOOP_FUZZ_SECONDS", "80"))
SKIPPED_OPERATIONS: set[str] = set()  # "METHOD /path": none today


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI application closes "old" connections at each request's start and end, which
    would close the test's transaction; Django's test client disconnects them the same way."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def api_schema():
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


def check(response, label: str, problems: list[str]) -> None:
    status = response.status_code
    where = f"{label} -> {status}"
    text = response.content.decode("utf-8", "replace")
    if status >= 500:
        problems.append(f"{where}: {text[:300]}")
        return
    if status < 400:
        return
    try:
        body = json.loads(text)
    except ValueError:
        problems.append(f"{where}: not JSON: {text[:200]}")
        return
    has_contract = isinstance(body, dict) and {"code", "message", "field"} <= set(body)
    if not has_contract:
        problems.append(f"{where}: not the error contract: {str(body)[:200]}")


def fuzz_operation(operation, headers: dict, examples: int, problems: list[str]) -> None:
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        fuzz_mode(operation, mode, headers, examples, problems)


def fuzz_mode(operation, mode, headers: dict, examples: int, problems: list[str]) -> None:
    seen: set[str] = set()

    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        case.headers = {**(case.headers or {}), **headers}
        sid = transaction.savepoint()
        try:
            response = case.call()
        finally:
            transaction.savepoint_rollback(sid)
        label = f"{case.method} {case.formatted_path} query={case.query!r} body={case.body!r}"
        label = f"[{mode.value}] {label}"
        before = len(problems)
        check(response, label[:400], problems)
        if len(problems) > before and case.operation.label in seen:
            problems.pop()  # one report per operation is enough
        elif len(problems) > before:
            seen.add(case.operation.label)

    # Unsatisfiable: nothing to generate in this mode (e.g. no way to make an operation
    # without parameters invalid): nothing to try, as schemathesis's own runner reports it.
    with contextlib.suppress(Unsatisfiable):
        run()


def fuzz_all(headers: dict) -> tuple[list[str], int]:
    schema = api_schema()
    operations = [r.ok() for r in schema.get_all_operations()]
    operations = [op for op in operations if op.label not in SKIPPED_OPERATIONS]
    problems: list[str] = []
    started = time.monotonic()
    per_example = 0.05  # seconds, refined as the run goes
    done_examples = 0
    for index, operation in enumerate(operations):
        left = max(BUDGET - (time.monotonic() - started), 0)
        share = left / (len(operations) - index)
        examples = max(1, min(EXAMPLES, int(share / (2 * per_example))))
        fuzz_operation(operation, headers, examples, problems)
        done_examples += 2 * examples
        per_example = max((time.monotonic() - started) / done_examples, 0.001)
    return problems, len(operations)


@pytest.mark.django_db
def test_fuzz_every_operation_as_the_national_user(world):
    token = api_token_issue(user=world.national, actor=world.national)
    problems, count = fuzz_all({"Authorization": f"Bearer {token}"})
    assert count >= 60
    assert not problems, "\n".join(problems)


@pytest.mark.django_db
def test_fuzz_every_operation_without_a_token(world):
    problems, count = fuzz_all({})
    assert count >= 60
    assert not problems, "\n".join(problems)
