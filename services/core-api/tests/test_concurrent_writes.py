"""Concurrent writers of the same version, over real HTTP against the real store: exactly
one wins, the others get 412/409 and change nothing; no update is lost."""

import asyncio
from collections import Counter

import httpx
import pytest

from core_api.models import Task
from core_api.version_claims import TASK, VersionClaims

WRITERS = 8


@pytest.fixture
async def server(live_server, headers_for):
    """(http client on the live server, app, project) with alice owning and bob editing."""
    base, app = live_server
    async with httpx.AsyncClient(base_url=base, timeout=60) as http:
        project = (
            await http.post(
                "/projects", json={"name": "Race", "key": "RACE"}, headers=headers_for("alice")
            )
        ).json()
        await http.put(
            f"/projects/{project['id']}/members/bob",
            json={"role": "editor"},
            headers=headers_for("alice"),
        )
        yield http, app, project


async def new_task(http, headers_for, project, title="Start") -> dict:
    response = await http.post(
        f"/projects/{project['id']}/tasks", json={"title": title}, headers=headers_for("bob")
    )
    assert response.status_code == 201
    return response.json()


async def audit_of(http, headers_for, target_id: str) -> list[dict]:
    params = {"target_id": target_id, "limit": 200}
    entries = await http.get("/audit", params=params, headers=headers_for("root", ["admin"]))
    return entries.json()["items"]


def events_about(app, target_id: str, type_: str) -> list[dict]:
    return [
        e.data for e in app.state.events.buffer if e.type == type_ and e.data["id"] == target_id
    ]


async def test_one_of_eight_patches_from_the_same_version_wins(server, headers_for):
    http, app, project = server
    task = await new_task(http, headers_for, project)
    url, bob = f"/tasks/{task['id']}", headers_for("bob", **{"If-Match": '"1"'})

    answers = await asyncio.gather(
        *(
            http.patch(url, json={"title": f"writer {n}", "priority": "high"}, headers=bob)
            for n in range(WRITERS)
        )
    )

    codes = Counter(a.status_code for a in answers)
    assert codes == {200: 1, 412: WRITERS - 1}
    assert {a.json()["detail"]["code"] for a in answers if a.status_code == 412} == {
        "VERSION_MISMATCH"
    }
    winner = next(a.json() for a in answers if a.status_code == 200)
    final = (await http.get(url, headers=headers_for("bob"))).json()
    assert final == winner
    assert final["version"] == 2 and final["title"].startswith("writer ")
    updates = [
        e for e in await audit_of(http, headers_for, task["id"]) if e["action"] == "task.updated"
    ]
    assert len(updates) == 1 and updates[0]["after"]["title"] == final["title"]
    assert [e["title"] for e in events_about(app, task["id"], "task.updated")] == [final["title"]]


async def test_without_if_match_no_concurrent_update_is_lost(server, headers_for):
    http, app, project = server
    task = await new_task(http, headers_for, project)
    url = f"/tasks/{task['id']}"

    answers = await asyncio.gather(
        *(
            http.patch(url, json={"title": f"writer {n}"}, headers=headers_for("bob"))
            for n in range(WRITERS)
        )
    )

    won = [a.json() for a in answers if a.status_code == 200]
    assert {a.status_code for a in answers} <= {200, 412}
    assert won, "at least the first writer wins"
    # Each winner moved the task on by exactly one version: nobody overwrote anybody.
    assert sorted(w["version"] for w in won) == list(range(2, 2 + len(won)))
    final = (await http.get(url, headers=headers_for("bob"))).json()
    assert final["version"] == 1 + len(won)
    assert final == max(won, key=lambda w: w["version"])
    updates = [
        e for e in await audit_of(http, headers_for, task["id"]) if e["action"] == "task.updated"
    ]
    assert len(updates) == len(won)
    assert len(events_about(app, task["id"], "task.updated")) == len(won)


async def test_a_delete_and_patches_from_the_same_version_one_wins(server, headers_for):
    http, _app, project = server
    task = await new_task(http, headers_for, project)
    url, bob = f"/tasks/{task['id']}", headers_for("bob", **{"If-Match": '"1"'})

    answers = await asyncio.gather(
        http.delete(url, headers=bob),
        *(http.patch(url, json={"title": f"w{n}"}, headers=bob) for n in range(WRITERS - 1)),
    )

    assert sum(a.status_code in (200, 204) for a in answers) == 1
    # A writer that reads after the delete finds no task at all.
    assert {a.status_code for a in answers} <= {200, 204, 404, 412}
    actions = [e["action"] for e in await audit_of(http, headers_for, task["id"])]
    assert actions.count("task.updated") + actions.count("task.deleted") == 1


async def test_concurrent_member_changes_never_drop_a_member(server, headers_for):
    http, _app, project = server
    url = f"/projects/{project['id']}"
    owner = headers_for("alice")

    answers = await asyncio.gather(
        *(
            http.put(f"{url}/members/user{n}", json={"role": "viewer"}, headers=owner)
            for n in range(WRITERS)
        )
    )

    assert {a.status_code for a in answers} <= {200, 412}
    added = {f"user{n}" for n, a in enumerate(answers) if a.status_code == 200}
    final = (await http.get(url, headers=owner)).json()
    members = {m["user_id"] for m in final["members"]}
    assert added <= members and members - added == {"alice", "bob"}
    assert final["version"] == project["version"] + 1 + len(added)


async def test_one_of_eight_project_renames_with_if_match_wins(server, headers_for):
    http, _app, project = server
    url = f"/projects/{project['id']}"
    current = (await http.get(url, headers=headers_for("alice"))).json()
    owner = headers_for("alice", **{"If-Match": f'"{current["version"]}"'})

    answers = await asyncio.gather(
        *(http.patch(url, json={"name": f"name {n}"}, headers=owner) for n in range(WRITERS)),
        http.delete(url, headers=owner),
    )

    assert sum(a.status_code in (200, 204) for a in answers) == 1
    assert {a.status_code for a in answers} <= {200, 204, 404, 412}


async def test_a_bulk_change_meeting_a_claimed_task_changes_nothing(server, headers_for):
    http, app, project = server
    tasks = [await new_task(http, headers_for, project, f"t{n}") for n in range(3)]
    claims: VersionClaims = app.state.version_claims
    busy = await Task.get(tasks[1]["id"])
    # Another writer has claimed task 1's transition and is about to write.
    assert await claims.claim(TASK, busy.id, busy.version)

    response = await http.post(
        f"/projects/{project['id']}/tasks:bulk",
        json={"ids": [t["id"] for t in tasks], "status": "done"},
        headers=headers_for("bob"),
    )

    assert response.status_code == 409
    assert response.json()["detail"]["code"] == "BULK_CONFLICT"
    assert response.json()["detail"]["ids"] == [tasks[1]["id"]]
    after = [
        (await http.get(f"/tasks/{t['id']}", headers=headers_for("bob"))).json() for t in tasks
    ]
    assert [(t["status"], t["version"]) for t in after] == [("todo", 1)] * 3
    # The claims the bulk change had won were given back: others may change those tasks.
    free = await http.patch(
        f"/tasks/{tasks[0]['id']}", json={"status": "done"}, headers=headers_for("bob")
    )
    assert free.status_code == 200
    blocked = await http.patch(
        f"/tasks/{tasks[1]['id']}", json={"status": "done"}, headers=headers_for("bob")
    )
    assert blocked.status_code == 412
