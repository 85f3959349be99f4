"""The committed Postman collection (clients/postman) runs green with newman against a real
platform: its Journeys folder signs in, makes a service account and gets its token, creates,
reads and updates a task with If-Match (and meets 304 and 412), renames the project, pages
with a cursor and cleans up. The environment file is the one a Postman user imports."""

import json
import subprocess
from pathlib import Path

from tests.consumers.conftest import Admin
from tests.e2e.platform_processes import ROOT, Platform

POSTMAN = ROOT / "clients/postman"
NEWMAN = ROOT / "node_modules/.bin/newman"


def test_newman_runs_the_journeys_green(
    consumer_platform: Platform, admin: Admin, tmp_path: Path
) -> None:
    report = tmp_path / "newman.json"
    result = subprocess.run(
        [
            str(NEWMAN),
            "run",
            str(POSTMAN / "platform.postman_collection.json"),
            *("--environment", str(POSTMAN / "platform.postman_environment.json")),
            *("--env-var", f"baseUrl={consumer_platform.url}"),
            *("--env-var", f"adminEmail={admin.email}"),
            *("--env-var", f"adminPassword={admin.password}"),
            *("--folder", "Journeys"),
            *("--reporters", "cli,json", "--reporter-json-export", str(report)),
            "--color",
            "off",
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    stats = json.loads(report.read_text())["run"]["stats"]
    assert stats["assertions"]["failed"] == 0
    assert stats["requests"]["total"] == 23
    assert stats["assertions"]["total"] >= 40
