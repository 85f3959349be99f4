"""What the browser tests need in the platform: an admin, the two fragments published and
active, and a project with tasks, all made through the platform's own CLI and APIs."""

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.e2e.platform_processes import FRAGMENTS, ROOT, Platform, integrity_of

ADMIN_EMAIL = "admin@e2e.example"
ADMIN_PASSWORD = "correct-horse-battery"
# A colleague some tasks are assigned to, shown by name on the dashboard.
COLLEAGUE_NAME = "Noor Colleague"
# (status, priority, count): what the seeded project holds.
TASKS = [
    ("todo", "high", 6),
    ("todo", "low", 4),
    ("in_progress", "urgent", 3),
    ("in_progress", "medium", 2),
    ("done", "medium", 5),
    ("cancelled", "low", 1),
]


@dataclass
class Seeded:
    admin_token: str
    project_id: str
    task_ids: list[str]
    versions: dict[str, str]


def package(name: str) -> dict:
    """A fragment's package.json: its version and its "fragment" block (routes, nav, roles)."""
    return dict(json.loads((ROOT / f"mfe-{name}" / "package.json").read_text()))


def sign_in(platform: Platform, email: str, password: str) -> str:
    response = httpx.post(
        f"{platform.url}/api/auth/jwt/login",
        data={"username": email, "password": password},
        timeout=15.0,
    )
    response.raise_for_status()
    return str(response.json()["access_token"])


def publish(platform: Platform, token: str, name: str, version: str) -> None:
    """Publishes dist/<version>/ of a fragment as served by its test host, its stylesheets
    listed as `css` with their integrity the way infra/fragment-publish.mjs lists them."""
    folder = platform.fragment_dirs[name] / version
    fragment = package(name)["fragment"]
    base = f"{platform.fragment_urls[name]}/{version}"
    body = {
        "version": version,
        "entry": f"{base}/entry.js",
        "integrity": integrity_of(folder / "entry.js"),
        "css": [
            {"url": f"{base}/{css.name}", "integrity": integrity_of(css)}
            for css in sorted(folder.glob("*.css"))
        ],
        "routes": fragment["routes"],
        "nav": fragment["nav"],
        "contract": fragment["contract"],
    }
    with platform.api(token) as api:
        api.post(f"/api/core/fragments/{name}/versions", json=body).raise_for_status()


def activate(platform: Platform, token: str, name: str, version: str) -> None:
    with platform.api(token) as api:
        api.post(
            f"/api/core/fragments/{name}/activate", json={"version": version}
        ).raise_for_status()


def copy_version(
    platform: Platform, name: str, source: str, target: str, old: str, new: str
) -> Path:
    """A new version of a built fragment whose entry says `new` where it said `old`."""
    folder = platform.fragment_dirs[name] / target
    shutil.copytree(platform.fragment_dirs[name] / source, folder)
    entry = folder / "entry.js"
    text = entry.read_text()
    assert old in text, f"{old!r} is not in the built {name} entry"
    entry.write_text(text.replace(old, new))
    return entry


def seed(platform: Platform) -> Seeded:
    platform.cli("create-admin", "--email", ADMIN_EMAIL, AUTH_ADMIN_PASSWORD=ADMIN_PASSWORD)
    token = sign_in(platform, ADMIN_EMAIL, ADMIN_PASSWORD)
    versions = {}
    with platform.api(token) as api:
        for name in FRAGMENTS:
            roles = package(name)["fragment"]["roles"]
            api.post("/api/core/fragments", json={"name": name, "roles": roles}).raise_for_status()
            versions[name] = package(name)["version"]
            publish(platform, token, name, versions[name])
            activate(platform, token, name, versions[name])
        project = api.post("/api/core/projects", json={"name": "Apollo", "key": "APO"})
        project.raise_for_status()
        project_id = project.json()["id"]
        admin_id = api.get("/api/auth/users/me").json()["id"]
        colleague = api.post(
            "/api/auth/register",
            json={
                "email": "noor@e2e.example",
                "password": ADMIN_PASSWORD,
                "full_name": COLLEAGUE_NAME,
            },
        )
        colleague.raise_for_status()
        colleague_id = colleague.json()["id"]
        api.put(
            f"/api/core/projects/{project_id}/members/{colleague_id}", json={"role": "editor"}
        ).raise_for_status()
        assignees = [admin_id, colleague_id, None]
        task_ids = []
        for status, priority, count in TASKS:
            for n in range(count):
                created = api.post(
                    f"/api/core/projects/{project_id}/tasks",
                    json={
                        "title": f"{priority} {status} task {n}",
                        "priority": priority,
                        "assignee": assignees[n % len(assignees)],
                    },
                )
                created.raise_for_status()
                task_ids.append(created.json()["id"])
                if status != "todo":
                    api.patch(
                        f"/api/core/tasks/{task_ids[-1]}", json={"status": status}
                    ).raise_for_status()
    return Seeded(token, project_id, task_ids, versions)


def hand_written_version(platform: Platform, version: str, source: str) -> None:
    """A dashboard version whose entry is `source`, as any team's build could produce."""
    folder = platform.fragment_dirs["dashboard"] / version
    folder.mkdir()
    (folder / "entry.js").write_text(source)


@contextmanager
def live_dashboard(platform: Platform, seeded: Seeded, version: str) -> Iterator[None]:
    """Makes a published dashboard version the live one for a test, then the seeded one again."""
    activate(platform, seeded.admin_token, "dashboard", version)
    try:
        yield
    finally:
        activate(platform, seeded.admin_token, "dashboard", seeded.versions["dashboard"])
