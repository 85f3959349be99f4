"""python -m core_api.cli rebuild-stats, as a separate process against the real store."""

import os
import subprocess
import sys
from datetime import UTC, datetime

from beanie import PydanticObjectId

from core_api.models import Task
from core_api.tasks import derived_fields


def run_cli(settings, *args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {
        "CORE_MONGODB_URI": settings.mongodb_uri,
        "CORE_DATABASE": settings.database,
    }
    return subprocess.run(
        [sys.executable, "-m", "core_api.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_rebuild_stats_counts_tasks_written_straight_to_the_store(
    client, headers_for, settings
):
    project = (
        await client.post("/projects", json={"name": "P", "key": "CLI"}, headers=headers_for("al"))
    ).json()
    now = datetime.now(UTC)
    fields = {"status": "todo", "priority": "high", "due_at": None, "created_at": now}
    await Task.insert_many(
        [
            Task(
                project_id=PydanticObjectId(project["id"]),
                title=f"t{n}",
                created_by="al",
                updated_at=now,
                created_day=now.date().isoformat(),
                **fields,
                **derived_fields(fields, now),
            )
            for n in range(3)
        ]
    )
    params = {"project": project["id"]}
    before = (await client.get("/stats", params=params, headers=headers_for("al"))).json()
    assert before["by_status"] == {}

    done = run_cli(settings, "rebuild-stats")

    assert done.returncode == 0, done.stderr
    assert f"{project['id']}: 3 tasks counted" in done.stdout
    after = (await client.get("/stats", params=params, headers=headers_for("al"))).json()
    assert after["by_status"] == {"todo": 3} and after["by_priority"] == {"high": 3}


async def test_rebuild_stats_refuses_a_bad_project_id(client, settings):
    for project, message in [("nope", "is not a project id"), ("0" * 24, "no project")]:
        done = run_cli(settings, "rebuild-stats", "--project", project)
        assert done.returncode != 0 and message in done.stderr
