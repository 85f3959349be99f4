"""The demo organisation: realistic spread, and a second run adds nothing."""

from core_api.models import Project, Task
from core_api.seed import DEMO_PROJECTS, Person, seed_core

PEOPLE = [Person(f"user{n}", f"user{n}@demo.example") for n in range(8)]


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


def _days_ago(days: int) -> str:
    from datetime import UTC, datetime, timedelta

    return (datetime.now(UTC) - timedelta(days=days)).date().isoformat()
