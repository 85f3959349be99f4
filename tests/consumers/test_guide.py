"""docs/api-consumers.md works as written: its `sh` blocks, run in order in one bash with
`set -euo pipefail` against a real platform, create a service account, grant it a project,
get a client-credentials token, create and page tasks, and meet a 412 on a stale If-Match."""

import re
import subprocess
from pathlib import Path

from tests.consumers.conftest import Admin
from tests.e2e.platform_processes import ROOT, Platform

GUIDE = ROOT / "docs/api-consumers.md"


def shell_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```sh\n(.*?)^```$", markdown, flags=re.DOTALL | re.MULTILINE)


def test_the_guide_has_the_whole_journey_as_shell_blocks() -> None:
    script = "\n".join(shell_blocks(GUIDE.read_text()))
    for step in ("/api/auth/clients", "/members/client:", "/api/auth/token", "If-Match"):
        assert step in script


def test_every_command_of_the_guide_works(
    consumer_platform: Platform, admin: Admin, tmp_path: Path
) -> None:
    script = "set -euo pipefail\n" + "\n".join(shell_blocks(GUIDE.read_text()))
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "GATEWAY": consumer_platform.url,
        "ADMIN_EMAIL": admin.email,
        "ADMIN_PASSWORD": admin.password,
    }
    result = subprocess.run(
        ["bash", "-c", script + "\necho GUIDE-DONE"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, f"the guide failed:\n{result.stdout}\n{result.stderr}"
    assert result.stdout.endswith("GUIDE-DONE\n")
    assert list(tmp_path.iterdir()) == [], "the guide's last block cleans up its files"

    # What the guide did is really there: the service account is a member of the project.
    with consumer_platform.api() as api:
        token = api.post(
            "/api/auth/jwt/login",
            data={"username": admin.email, "password": admin.password},
        ).json()["access_token"]
        projects = api.get(
            "/api/core/projects", headers={"Authorization": f"Bearer {token}"}
        ).json()["items"]
    members = [m["user_id"] for p in projects if p["key"] == "REP" for m in p["members"]]
    assert any(member.startswith("client:") for member in members)
