"""Statistics computed by the store, checked on data whose answers are known."""

from datetime import UTC, datetime, timedelta

import pytest
from beanie import PydanticObjectId

from core_api.models import Task
from core_api.tasks import derived_fields

DAY = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def stored_task(
    project_id,
    title,
    *,
    status="todo",
    priority="medium",
    assignee=None,
    created=DAY,
    done_after_h=None,
    due=None,
) -> Task:
    completed = created + timedelta(hours=done_after_h) if done_after_h is not None else None
    fields = {
        "status": status,
        "priority": priority,
        "due_at": due,
        "created_at": created,
        "completed_at": completed,
    }
    return Task(
        project_id=project_id,
        title=title,
        assignee=assignee,
        created_by="alice",
        updated_at=created,
        created_day=created.date().isoformat(),
        **(fields | derived_fields(fields, created)),
    )


@pytest.fixture
async def project(client, headers_for) -> dict:
    project = (
        await client.post(
            "/projects", json={"name": "A", "key": "APL"}, headers=headers_for("alice")
        )
    ).json()
    await client.put(
        f"/projects/{project['id']}/members/bob",
        json={"role": "viewer"},
        headers=headers_for("alice"),
    )
    pid = PydanticObjectId(project["id"])
    past = datetime(2020, 1, 1, tzinfo=UTC)
    await Task.insert_many(
        [
            stored_task(pid, "open overdue", priority="high", assignee="bob", due=past),
            stored_task(pid, "open", assignee="bob", created=DAY + timedelta(days=1)),
            stored_task(pid, "in progress", status="in_progress", assignee="alice"),
            stored_task(pid, "cancelled", status="cancelled", due=past),
            stored_task(pid, "done 1h", status="done", done_after_h=1),
            stored_task(pid, "done 2h", status="done", done_after_h=2),
            stored_task(pid, "done 4h", status="done", done_after_h=4, priority="urgent"),
            stored_task(pid, "done 30h", status="done", done_after_h=30),
            stored_task(pid, "done long ago", status="done", created=past, done_after_h=5),
        ]
    )
    other = (
        await client.post("/projects", json={"name": "B", "key": "OTH"}, headers=headers_for("zed"))
    ).json()
    other_id = PydanticObjectId(other["id"])
    await Task.insert_many([stored_task(other_id, "elsewhere", status="done", done_after_h=99)])
    # Written straight to the store: recompute the rollups from the tasks.
    rebuilt = await client.post("/stats/rebuild", headers=headers_for("root", ["admin"]))
    assert rebuilt.json() == {"projects": 2, "tasks": 10}
    return project


async def test_stats_on_known_data(client, headers_for, project):
    response = await client.get(
        "/stats",
        params={"project": project["id"], "from": "2026-03-10", "to": "2026-03-12"},
        headers=headers_for("bob"),
    )
    assert response.status_code == 200
    stats = response.json()
    assert stats["by_status"] == {"todo": 2, "in_progress": 1, "cancelled": 1, "done": 5}
    assert stats["by_priority"] == {"high": 1, "medium": 7, "urgent": 1}
    assert stats["open_by_assignee"] == {"bob": 2, "alice": 1}
    assert stats["overdue"] == 1  # the cancelled one is not overdue
    assert stats["per_day"] == [
        {"day": "2026-03-10", "created": 7, "completed": 3},
        {"day": "2026-03-11", "created": 1, "completed": 1},
        {"day": "2026-03-12", "created": 0, "completed": 0},
    ]
    assert stats["completed_in_range"] == 4
    # Between 2h and 4h, from log-spaced buckets: within 4.4%.
    assert stats["median_cycle_time_s"] == pytest.approx(3 * 3600, rel=0.044)


async def test_stats_cover_only_what_the_caller_may_see(client, headers_for, project):
    params = {"from": "2026-03-10", "to": "2026-03-10"}
    mine = (await client.get("/stats", params=params, headers=headers_for("bob"))).json()
    everyone = (
        await client.get("/stats", params=params, headers=headers_for("root", ["admin"]))
    ).json()
    assert mine["projects"] == [project["id"]]
    assert mine["by_status"]["done"] == 5 and everyone["by_status"]["done"] == 6
    hidden = await client.get(
        "/stats", params={"project": project["id"]}, headers=headers_for("eve")
    )
    assert hidden.status_code == 404
    nothing = (await client.get("/stats", headers=headers_for("eve"))).json()
    assert nothing["by_status"] == {} and nothing["median_cycle_time_s"] is None


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"from": "2026-03-12", "to": "2026-03-10"}, 400),
        ({"from": "2024-01-01", "to": "2026-01-01"}, 400),
        ({"from": "yesterday"}, 422),
        ({"project": "nope"}, 422),
    ],
)
async def test_bad_stats_queries(client, headers_for, params, status):
    response = await client.get("/stats", params=params, headers=headers_for("bob"))
    assert response.status_code == status


async def test_project_id_names_the_project_and_the_former_project_still_works(
    client, headers_for, project
):
    params = {"from": "2026-03-10", "to": "2026-03-12"}
    named = await client.get(
        "/stats", params={**params, "project_id": project["id"]}, headers=headers_for("bob")
    )
    former = await client.get(
        "/stats", params={**params, "project": project["id"]}, headers=headers_for("bob")
    )
    assert named.status_code == former.status_code == 200
    assert named.json()["projects"] == [project["id"]]
    assert named.json() == former.json()
    hidden = await client.get(
        "/stats", params={"project_id": project["id"]}, headers=headers_for("eve")
    )
    assert hidden.status_code == 404
