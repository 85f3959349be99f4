"""schemathesis, with all its checks, against the merged document of a real platform: every
answer of every operation must be one the document declares (status, content type, headers,
schema), valid requests are accepted and invalid ones refused. The operations left out are
listed here, the checks left out of some operations in schemathesis.toml, and both in
docs/api.md, each with its reason."""

import os
import subprocess
import uuid
from pathlib import Path

import pytest

from tests.consumers.conftest import Admin, sign_in
from tests.e2e.platform_processes import ROOT, Platform

SCHEMATHESIS = ROOT / ".venv" / "bin" / "schemathesis"
HOOKS = Path(__file__).with_name("schemathesis_hooks.py")
# Every check on, positive_data_acceptance off for the operations it names, with the reasons.
CONFIG = Path(__file__).with_name("schemathesis.toml")

# Operations that end the caller's session or change its credentials: each is run apart, as a
# user signed in for it alone, so no other run loses its session.
SESSION_ENDING = ("session_logout", "session_logout_all", "sessions_revoke", "me_update")
# The fragment registry's operations, run a second time as an admin: as a plain user most of
# them end at 403 or 404, as an admin they reach registering and changing fragments.
REGISTRY_OPERATIONS = "^(fragments|overrides)_"


def signed_in_user(platform: Platform) -> str:
    """A new (non-admin) user's access token."""
    email = f"schemathesis-{uuid.uuid4().hex[:8]}@example.com"
    password = "schemathesis-password-1"
    with platform.api() as api:
        api.post("/api/auth/register", json={"email": email, "password": password})
        answer = api.post("/api/auth/jwt/login", data={"username": email, "password": password})
        return str(answer.raise_for_status().json()["access_token"])


def signed_in_user_with_project(platform: Platform) -> str:
    """A new (non-admin) user who owns a project; its access token."""
    token = signed_in_user(platform)
    with platform.api(token) as api:
        project = api.post("/api/core/projects", json={"name": "Fuzzed", "key": "FUZZED"})
        project.raise_for_status()
    return token


def schemathesis(platform: Platform, token: str, report_dir: Path, *selection: str) -> str:
    """Runs schemathesis as CONFIG says on the operations `selection` picks; the output when
    it found a failure, else ''."""
    result = subprocess.run(
        [
            str(SCHEMATHESIS),
            "--config-file",
            str(CONFIG),
            "run",
            f"{platform.url}/openapi.json",
            "--url",
            platform.url,
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            "5",
            "--seed",
            "15",
            # One worker: with two, hypothesis' ast.parse of filter lambdas in two threads
            # at once trips CPython 3.11's "AST constructor recursion depth mismatch".
            "--workers",
            "1",
            "--header",
            f"Authorization: Bearer {token}",
            "--report",
            "junit",
            "--report-dir",
            str(report_dir),
            *selection,
        ],
        cwd=report_dir,
        env={**os.environ, "SCHEMATHESIS_HOOKS": str(HOOKS)},
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return "" if result.returncode == 0 else result.stdout[-20000:] + result.stderr[-2000:]


def each(option: str, operation_ids: tuple[str, ...]) -> list[str]:
    return [argument for operation in operation_ids for argument in (option, operation)]


def test_every_answer_conforms_to_the_document(consumer_platform: Platform, tmp_path: Path):
    token = signed_in_user_with_project(consumer_platform)
    selection = each("--exclude-operation-id", SESSION_ENDING)
    failures = schemathesis(consumer_platform, token, tmp_path, *selection)
    assert not failures, failures


def test_every_registry_answer_to_an_admin_conforms_to_the_document(
    consumer_platform: Platform, admin: Admin, tmp_path: Path
):
    token = sign_in(consumer_platform, admin)
    selection = ("--include-operation-id-regex", REGISTRY_OPERATIONS)
    failures = schemathesis(consumer_platform, token, tmp_path, *selection)
    assert not failures, failures


@pytest.mark.parametrize("operation_id", SESSION_ENDING)
def test_operations_that_end_a_session_conform_to_the_document(
    consumer_platform: Platform, tmp_path: Path, operation_id: str
):
    token = signed_in_user(consumer_platform)  # its session is this run's alone
    selection = ("--include-operation-id", operation_id)
    failures = schemathesis(consumer_platform, token, tmp_path, *selection)
    assert not failures, failures
