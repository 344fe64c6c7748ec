"""Schemathesis against a live sandbox on loopback, from the sandbox's own description.

Every operation of the description gets a bounded number of generated requests (valid and
invalid ones), derandomized so that a run is the same each time, sent with the demo
user's token to a throwaway sandbox (its database is deleted afterwards, so the
destructive routes are fuzzed too). Each answer must:

* not be a server error (no 5xx);
* have a documented status, a documented content type and the documented headers;
* conform to the documented schema of its status;
* for a 4xx, be in the API's error shape (``{error, error_code, error_description}``; the
  token route's own errors in Auth0's ``{error, error_description}``).

The path's ``company_id`` is the demo company's in most generated requests: with random
ids every request would stop at "unknown company".
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tiime.sandbox import Sandbox
from tiime.sandbox.openapi import generate

from .conftest import password_grant

# Generated requests per operation (and generation mode): the whole file stays well under
# a minute on two cores.
EXAMPLES = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_dict(generate())
schema.config.generation.update(max_examples=EXAMPLES)


@pytest.fixture(scope="module")
def fuzzed() -> Iterator[tuple[Sandbox, dict[str, str]]]:
    """A throwaway sandbox and the demo user's Authorization header."""
    with Sandbox() as sb, httpx.Client(timeout=10.0) as http:
        answer = http.post(sb.auth_url, json=password_grant(sb))
        assert answer.status_code == 200
        yield sb, {"Authorization": f"Bearer {answer.json()['access_token']}"}


def _root(sb: Sandbox) -> str:
    return sb.base_url.removesuffix("/v1")


def _check_error_shape(case: Any, response: Any) -> None:
    """A 4xx answer is in the API's error shape (the token route's: Auth0's)."""
    if not 400 <= response.status_code < 500:
        return
    body = response.json()
    # The router's own answers (an unknown method) are in the API's shape on every path.
    if case.path == "/oauth/token" and response.status_code != 405:
        assert isinstance(body.get("error"), str), body
        assert isinstance(body.get("error_description"), str), body
        return
    assert body.get("error") == response.status_code, body
    assert isinstance(body.get("error_code"), str), body
    assert isinstance(body.get("error_description"), str), body


@schema.parametrize()
@settings(
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_follows_the_description(
    case: Any, fuzzed: tuple[Sandbox, dict[str, str]]
) -> None:
    sb, auth = fuzzed
    company = (case.path_parameters or {}).get("company_id")
    # A valid id is mostly the demo company's; sometimes what was generated (404/403).
    if type(company) is int and company % 8 != 7:
        case.path_parameters["company_id"] = sb.company_id
    headers = {**(case.headers or {}), **auth}  # generated Authorization values: 401 only
    response = case.call_and_validate(base_url=_root(sb), headers=headers, checks=CHECKS)
    _check_error_shape(case, response)
