"""The generated Python client's worked example (clients/python/example.py) runs as written
against a real platform: a service account gets a token, finds its project, creates a task,
updates it with If-Match, and a stale If-Match is refused with 412."""

import subprocess
import sys

from tests.consumers.conftest import Admin, service_account_with_project, sign_in
from tests.e2e.platform_processes import ROOT, Platform

EXAMPLE = ROOT / "clients/python/example.py"


def test_the_example_round_trip_works(consumer_platform: Platform, admin: Admin) -> None:
    account = service_account_with_project(consumer_platform, admin, "python-example")
    result = subprocess.run(
        [sys.executable, str(EXAMPLE), "--base-url", consumer_platform.url],
        env={
            "PATH": "/usr/bin:/bin",
            "PLATFORM_CLIENT_ID": account.client_id,
            "PLATFORM_CLIENT_SECRET": account.client_secret,
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "project PYTHONEXAM: python-example" in result.stdout
    assert "stale If-Match refused: 412" in result.stdout
    assert "VERSION_MISMATCH" in result.stdout

    # The first conditional update landed and the stale one changed nothing.
    with consumer_platform.api(sign_in(consumer_platform, admin)) as api:
        tasks = api.get(f"/api/core/projects/{account.project_id}/tasks").json()["items"]
    assert [(task["title"], task["status"]) for task in tasks] == [
        ("Written by the example", "in_progress")
    ]
