"""`make seed` against a platform started the way `make run` starts it (real processes on
free ports): a seeded member signs in through the gateway, sees their projects and
non-zero figures, and a second `make seed` changes nothing."""

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pymongo import MongoClient

from conftest import ROOT, free_port
from infra.devtools.seed import DEMO_PEOPLE, DEMO_PROJECTS, Person, demo_members
from tests.test_make_run import RunningPlatform

# The organisation's size: tasks over all 5 projects.
SEED_TASKS = 250
MEMBER_EMAIL, MEMBER_PASSWORD = DEMO_PEOPLE[0][0], "demo-user-password"


@pytest.fixture(scope="module")
def platform(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """(gateway URL, environment) of a platform started by infra/scripts/run.sh."""
    env = {k: v for k, v in os.environ.items() if k != "MONGODB_URI"}
    env |= {
        name: str(free_port())
        for name in [
            "AUTH_PORT",
            "CORE_PORT",
            "GATEWAY_PORT",
            "SHELL_PORT",
            "FRAGMENTS_PORT",
            "MAIL_PORT",
        ]
    }
    env["FERRETDB_LISTEN_ADDR"] = f"127.0.0.1:{free_port()}"
    env["FERRETDB_DATA_DIR"] = str(Path(tmp_path_factory.mktemp("seed")) / "store")
    running = RunningPlatform(env)
    try:
        yield running.wait_until_ready(timeout_s=90), env
    finally:
        running.press_ctrl_c()


def make_seed(env: dict[str, str], tasks: int) -> str:
    done = subprocess.run(
        ["make", "--no-print-directory", "seed", f"SEED_TASKS={tasks}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def stored_counts(env: dict[str, str]) -> dict[str, int]:
    with MongoClient(f"mongodb://{env['FERRETDB_LISTEN_ADDR']}") as client:
        return {
            f"{database}.{collection}": client[database][collection].count_documents({})
            for database, collection in [
                ("farm_auth", "users"),
                ("farm_core", "projects"),
                ("farm_core", "tasks"),
                ("farm_core", "stats_projects"),
                ("farm_core", "stats_days"),
            ]
        }


def member_projects() -> dict[str, str]:
    """The projects (key -> role) the first demo person is given by the seed's rotation."""
    people = [Person(str(n), email) for n, (email, _) in enumerate(DEMO_PEOPLE)]
    return {
        key: member.role.value
        for index, (key, _, _) in enumerate(DEMO_PROJECTS)
        for member in demo_members(people, index)
        if member.user_id == "0"
    }


def test_make_seed_loads_a_demo_organisation_once(platform):
    url, env = platform
    per_project = SEED_TASKS // len(DEMO_PROJECTS)

    first = make_seed(env, SEED_TASKS)

    assert str({key: per_project for key, _, _ in DEMO_PROJECTS}) in first
    signed_in = httpx.post(
        f"{url}/api/auth/jwt/login",
        data={"username": MEMBER_EMAIL, "password": MEMBER_PASSWORD},
        timeout=30,
    )
    assert signed_in.status_code == 200, signed_in.text
    headers = {"Authorization": f"Bearer {signed_in.json()['access_token']}"}
    with httpx.Client(base_url=f"{url}/api/core", headers=headers, timeout=30) as core:
        me = httpx.get(f"{url}/api/auth/users/me", headers=headers, timeout=30).json()
        projects = core.get("/projects").json()["items"]
        roles = {
            p["key"]: next(m["role"] for m in p["members"] if m["user_id"] == me["id"])
            for p in projects
        }
        assert roles == member_projects()

        stats = core.get("/stats").json()
        assert set(stats["projects"]) == {p["id"] for p in projects}
        assert sum(stats["by_status"].values()) == per_project * len(projects)
        assert stats["by_status"].get("done", 0) > 0 and stats["completed_in_range"] > 0
        assert sum(day["created"] for day in stats["per_day"]) > 0
        assert stats["median_cycle_time_s"] > 0
        assert stats["open_by_assignee"] and stats["overdue"] > 0

        before = stored_counts(env)
        second = make_seed(env, SEED_TASKS)

        assert str({key: 0 for key, _, _ in DEMO_PROJECTS}) in second
        assert stored_counts(env) == before
        assert core.get("/stats").json() == stats
        assert core.get("/projects").json()["items"] == projects
