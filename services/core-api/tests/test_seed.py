"""The demo organisation: a live team's spread of work, and a second run adds nothing."""

import random
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from beanie import PydanticObjectId

from core_api.models import Project, Task
from infra.devtools.seed import (
    DAYS,
    DEMO_PROJECTS,
    Person,
    demo_members,
    demo_tasks,
    project_rng,
    seed_core,
)

PEOPLE = [Person(f"user{n}", f"user{n}@demo.example") for n in range(8)]
# A Monday just after midnight, a Wednesday afternoon, a Sunday evening.
MOMENTS = [
    datetime(2025, 6, 9, 0, 30, tzinfo=UTC),
    datetime(2025, 6, 11, 15, 0, tzinfo=UTC),
    datetime(2025, 6, 15, 20, 0, tzinfo=UTC),
]


async def test_seeding_twice_loads_the_demo_once(client, headers_for):
    first = await seed_core(PEOPLE, tasks_per_project=200)
    second = await seed_core(PEOPLE, tasks_per_project=200)
    assert first == {key: 200 for key, _, _ in DEMO_PROJECTS}
    assert second == {key: 0 for key, _, _ in DEMO_PROJECTS}
    assert await Project.count() == 5
    assert await Task.count() == 1000

    project = await Project.find_one({"key": "WEB"})
    owner = project.members[0].user_id
    stats = (
        await client.get(
            "/stats",
            params={"project": str(project.id), "from": _days_ago(90), "to": _days_ago(0)},
            headers=headers_for(owner),
        )
    ).json()
    assert sum(stats["by_status"].values()) == 200
    assert stats["by_status"]["done"] > stats["by_status"].get("todo", 0)
    assert sum(day["created"] for day in stats["per_day"]) == 200
    assert stats["median_cycle_time_s"] > 0
    listed = await client.get(
        f"/projects/{project.id}/tasks", params={"limit": 200}, headers=headers_for(owner)
    )
    assert len(listed.json()["items"]) == 200


async def test_the_dashboard_of_a_seeded_organisation_shows_a_working_week(client, headers_for):
    await seed_core(PEOPLE, tasks_per_project=200)

    # What the dashboard asks for and computes (mfe-dashboard/src/format.ts `kpis`).
    today = datetime.now(UTC).date()
    stats = (
        await client.get(
            "/stats",
            params={"from": (today - timedelta(days=29)).isoformat(), "to": today.isoformat()},
            headers=headers_for("root", ["admin"]),
        )
    ).json()
    monday = (today - timedelta(days=today.weekday())).isoformat()
    done_this_week = sum(
        d["completed"] for d in stats["per_day"] if monday <= d["day"] <= today.isoformat()
    )
    in_progress = stats["by_status"]["in_progress"]
    open_tasks = stats["by_status"]["todo"] + in_progress

    assert done_this_week > 0
    assert 0.1 < open_tasks / 1000 < 0.4
    assert 0.25 < in_progress / open_tasks < 0.6
    assert 0.1 < stats["overdue"] / open_tasks < 0.5
    assert set(stats["by_priority"]) == {"low", "medium", "high", "urgent"}
    loads = sorted(stats["open_by_assignee"].values())
    assert len(loads) >= 6 and loads[-1] > 2 * loads[0]


@pytest.mark.parametrize("now", MOMENTS, ids=lambda now: now.strftime("%a %H:%M"))
def test_the_demo_organisation_creates_and_completes_tasks_every_day_up_to_now(now):
    # What `make seed` loads: 5 projects of 1,000 tasks.
    project = _project()
    tasks = [
        task
        for key, _, _ in DEMO_PROJECTS
        for task in demo_tasks(project, project_rng(7, key), now, "user0", 1000)
    ]

    created = Counter(t["created_day"] for t in tasks)
    completed = Counter(t["completed_day"] for t in tasks if t["completed_day"])
    days = [now.date() - timedelta(days=age) for age in range(DAYS)]
    assert all(created[d.isoformat()] and completed[d.isoformat()] for d in days)
    assert set(created) | set(completed) <= {d.isoformat() for d in days}
    assert _mean(completed, days, weekend=True) < 0.5 * _mean(completed, days, weekend=False)
    assert _mean(created, days, weekend=True) < 0.5 * _mean(created, days, weekend=False)
    assert all(t["created_at"] <= (t["completed_at"] or now) <= now for t in tasks)
    assert all(t["created_at"] <= t["updated_at"] <= now for t in tasks)


def test_demo_tasks_are_the_same_for_the_same_seed_and_moment():
    now, project = MOMENTS[1], _project()

    def tasks(seed: int, at: datetime) -> list[dict]:
        return demo_tasks(project, random.Random(seed), at, "user0", 300)

    assert tasks(7, now) == tasks(7, now)
    assert tasks(7, now) != tasks(8, now)
    assert tasks(7, now) != tasks(7, now + timedelta(days=1))


def _project() -> Project:
    return Project.model_construct(id=PydanticObjectId(), members=demo_members(PEOPLE, 0))


def _mean(counts: Counter[str], days: list[date], weekend: bool) -> float:
    picked = [counts[d.isoformat()] for d in days if (d.weekday() >= 5) == weekend]
    return sum(picked) / len(picked)


def _days_ago(days: int) -> str:
    return (datetime.now(UTC) - timedelta(days=days)).date().isoformat()
