"""The statistics rollups against a brute-force count over the same tasks, after random
sequences of creates, changes, deletes and bulk changes, sequential and concurrent."""

import asyncio
import random
import statistics
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from beanie import PydanticObjectId

from core_api.app import create_app
from core_api.models import OPEN_STATUSES, Member, Project, ProjectRole, Task
from infra.devtools.seed import demo_task

EDITORS = ["alice", "bob", "carol"]
STATUSES = ["todo", "in_progress", "done", "cancelled"]
PRIORITIES = ["low", "medium", "high", "urgent"]
TODAY = datetime.now(UTC).date()
RANGE = {"from": (TODAY - timedelta(days=89)).isoformat(), "to": TODAY.isoformat()}
# Allowed answers of the random operations: a refusal is fine, a 500 is not.
REFUSALS = {409, 412, 404}


@pytest.fixture
async def project(client, headers_for) -> dict:
    owner = headers_for("alice")
    project = (
        await client.post("/projects", json={"name": "P", "key": "ROLL"}, headers=owner)
    ).json()
    for user in EDITORS[1:]:
        await client.put(
            f"/projects/{project['id']}/members/{user}", json={"role": "editor"}, headers=owner
        )
    return project


async def brute_force(project_id: str) -> dict[str, Any]:
    """The figures computed the slow way, from every task of the project."""
    tasks = await Task.find({"project_id": PydanticObjectId(project_id)}).to_list()
    open_tasks = [t for t in tasks if t.status in OPEN_STATUSES]
    done = [
        t for t in tasks if t.status == "done" and RANGE["from"] <= t.completed_day <= RANGE["to"]
    ]
    created = Counter(t.created_day for t in tasks)
    completed = Counter(t.completed_day for t in done)
    days = [(TODAY - timedelta(days=n)).isoformat() for n in range(89, -1, -1)]
    return {
        "by_status": dict(Counter(t.status.value for t in tasks)),
        "by_priority": dict(Counter(t.priority.value for t in tasks)),
        "open_by_assignee": dict(Counter(t.assignee for t in open_tasks if t.assignee)),
        "overdue": sum(1 for t in open_tasks if t.due_at and t.due_at.date() < TODAY),
        "per_day": [{"day": d, "created": created[d], "completed": completed[d]} for d in days],
        "completed_in_range": len(done),
        "median_cycle_time_s": (statistics.median(t.cycle_time_s for t in done) if done else None),
    }


def assert_matches(stats: dict[str, Any], expected: dict[str, Any]) -> None:
    for figure, value in expected.items():
        if figure == "median_cycle_time_s" and value is not None:
            # Log-spaced buckets: the median is within 2^(1/16) - 1 = 4.4% (+ rounding).
            assert stats[figure] == pytest.approx(value, rel=0.045, abs=0.5), figure
        else:
            assert stats[figure] == value, figure


class RandomWriter:
    """Random but valid-looking requests, some of which the API refuses."""

    def __init__(self, client, headers_for, project: dict, seed: int) -> None:
        self.client, self.headers_for, self.project = client, headers_for, project
        self.rng = random.Random(seed)
        self.task_ids: list[str] = []

    def _fields(self) -> dict[str, Any]:
        rng, fields = self.rng, {}
        if rng.random() < 0.5:
            fields["status"] = rng.choice(STATUSES)
        if rng.random() < 0.4:
            fields["priority"] = rng.choice(PRIORITIES)
        if rng.random() < 0.4:
            fields["assignee"] = rng.choice([*EDITORS, None])
        if rng.random() < 0.4:
            offset = rng.choice([None, -30, -3, -1, 0, 1, 20])
            fields["due"] = None if offset is None else (TODAY + timedelta(days=offset)).isoformat()
        return fields

    def _headers(self) -> dict[str, str]:
        return self.headers_for(self.rng.choice(EDITORS))

    async def create(self) -> int:
        body = {"title": "t", **{k: v for k, v in self._fields().items() if v is not None}}
        response = await self.client.post(
            f"/projects/{self.project['id']}/tasks", json=body, headers=self._headers()
        )
        if response.status_code == 201:
            self.task_ids.append(response.json()["id"])
        return response.status_code

    async def update(self, task_id: str | None = None) -> int:
        task_id = task_id or self.rng.choice(self.task_ids)
        headers = self._headers()
        if self.rng.random() < 0.2:
            headers["If-Match"] = f'"{self.rng.randint(1, 3)}"'
        body = self._fields() or {"title": "renamed"}
        return (
            await self.client.patch(f"/tasks/{task_id}", json=body, headers=headers)
        ).status_code

    async def delete(self) -> int:
        task_id = self.rng.choice(self.task_ids)
        return (await self.client.delete(f"/tasks/{task_id}", headers=self._headers())).status_code

    async def bulk(self) -> int:
        ids = self.rng.sample(self.task_ids, min(len(self.task_ids), self.rng.randint(1, 12)))
        body = {"ids": ids, "status": self.rng.choice(STATUSES)}
        response = await self.client.post(
            f"/projects/{self.project['id']}/tasks:bulk", json=body, headers=self._headers()
        )
        return response.status_code

    async def any(self) -> int:
        if len(self.task_ids) < 5:
            return await self.create()
        operation = self.rng.choices(
            [self.create, self.update, self.delete, self.bulk], [3, 6, 1, 1]
        )[0]
        return await operation()


def check_answers(codes: list[int]) -> None:
    assert set(codes) <= {200, 201, 204} | REFUSALS, Counter(codes)


async def stats_of(client, headers_for, project) -> dict[str, Any]:
    response = await client.get(
        "/stats", params={"project": project["id"], **RANGE}, headers=headers_for("alice")
    )
    assert response.status_code == 200
    return response.json()


@pytest.mark.parametrize("seed", [1, 2])
async def test_stats_equal_a_brute_force_count_after_random_writes(
    client, headers_for, project, seed
):
    # History written straight to the store, then the rollups rebuilt from it.
    rng, now = random.Random(seed), datetime.now(UTC)
    stored = Project.model_construct(
        id=PydanticObjectId(project["id"]),
        members=[Member(user_id=u, role=ProjectRole.EDITOR) for u in EDITORS],
    )
    await Task.get_pymongo_collection().insert_many(
        [demo_task(stored, rng, now, "alice") for _ in range(150)]
    )
    admin = headers_for("root", ["admin"])
    rebuilt = await client.post("/stats/rebuild", params={"project": project["id"]}, headers=admin)
    assert rebuilt.json() == {"projects": 1, "tasks": 150}
    writer = RandomWriter(client, headers_for, project, seed)
    writer.task_ids = [str(t.id) for t in await Task.find_all().to_list()]
    assert_matches(await stats_of(client, headers_for, project), await brute_force(project["id"]))

    codes = [await writer.any() for _ in range(60)]
    for _ in range(4):  # bursts of concurrent writers, some on the very same task
        same = writer.rng.choice(writer.task_ids)
        codes += await asyncio.gather(
            *(writer.any() for _ in range(6)), *(writer.update(same) for _ in range(4))
        )
    check_answers(codes)
    assert len(set(codes) - REFUSALS) > 1, "the random writes must mostly succeed"

    stats = await stats_of(client, headers_for, project)
    assert_matches(stats, await brute_force(project["id"]))
    # The rebuild recomputes exactly what the writes maintained.
    await client.post("/stats/rebuild", params={"project": project["id"]}, headers=admin)
    assert await stats_of(client, headers_for, project) == stats


async def test_concurrent_writes_lose_no_increment(client, headers_for, project):
    url = f"/projects/{project['id']}/tasks"
    created = await asyncio.gather(
        *(
            client.post(url, json={"title": f"t{n}", "assignee": "bob"}, headers=headers_for("bob"))
            for n in range(20)
        )
    )
    assert {c.status_code for c in created} == {201}
    await asyncio.gather(
        *(
            client.patch(
                f"/tasks/{c.json()['id']}", json={"status": "done"}, headers=headers_for("bob")
            )
            for c in created[:12]
        )
    )
    stats = await stats_of(client, headers_for, project)
    assert stats["by_status"] == {"todo": 8, "done": 12}
    assert stats["open_by_assignee"] == {"bob": 8}
    assert stats["per_day"][-1] == {"day": TODAY.isoformat(), "created": 20, "completed": 12}


async def test_a_deleted_project_leaves_no_figures(client, headers_for, project):
    await client.post(
        f"/projects/{project['id']}/tasks", json={"title": "t"}, headers=headers_for("bob")
    )
    assert (
        await client.delete(f"/projects/{project['id']}", headers=headers_for("alice"))
    ).status_code == 204
    everything = (await client.get("/stats", headers=headers_for("root", ["admin"]))).json()
    assert everything["by_status"] == {} and everything["per_day"][-1]["created"] == 0


async def test_assignee_ids_with_dots_and_dollars_are_counted(client, headers_for, project):
    odd = "client:ops.bot$1%"
    await client.put(
        f"/projects/{project['id']}/members/{odd}",
        json={"role": "editor"},
        headers=headers_for("alice"),
    )
    await client.post(
        f"/projects/{project['id']}/tasks",
        json={"title": "t", "assignee": odd},
        headers=headers_for("bob"),
    )
    assert (await stats_of(client, headers_for, project))["open_by_assignee"] == {odd: 1}


async def test_a_range_bound_must_be_a_calendar_date(client, headers_for, project):
    # pydantic alone would read `0` as 1970-01-01 (a Unix time) and answer 200.
    for bound in ("0", "1700000000", "2026-1-5"):
        answer = await client.get("/stats", params={"to": bound}, headers=headers_for("alice"))
        assert answer.status_code == 422, bound
        assert answer.json()["code"] == "REQUEST_INVALID"
    answer = await client.get("/stats", params={"to": "2026-01-31"}, headers=headers_for("alice"))
    assert answer.status_code == 200
    assert answer.json()["range_to"] == "2026-01-31"


async def test_only_admins_rebuild(client, headers_for, project):
    response = await client.post("/stats/rebuild", headers=headers_for("alice"))
    assert response.status_code == 403
    missing = await client.post(
        "/stats/rebuild", params={"project": "0" * 24}, headers=headers_for("root", ["admin"])
    )
    assert missing.status_code == 404


async def test_start_up_builds_the_rollups_of_projects_without_any(settings, headers_for, mongo):
    projects, tasks = mongo[settings.database]["projects"], mongo[settings.database]["tasks"]
    stored = Project.model_construct(
        id=PydanticObjectId(),
        members=[Member(user_id=u, role=ProjectRole.EDITOR) for u in EDITORS],
    )
    now = datetime.now(UTC)
    await projects.insert_one(
        {"_id": stored.id, "name": "Old", "key": "OLD", "description": "", "version": 1}
        | {"members": [m.model_dump() for m in stored.members], "member_ids": EDITORS}
        | {"created_by": "alice", "created_at": now, "updated_at": now}
    )
    rng = random.Random(3)
    await tasks.insert_many([demo_task(stored, rng, now, "alice") for _ in range(40)])

    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://core") as client:
            stats = await stats_of(client, headers_for, {"id": str(stored.id)})
            expected = await brute_force(str(stored.id))

    assert sum(stats["by_status"].values()) == 40
    assert_matches(stats, expected)
