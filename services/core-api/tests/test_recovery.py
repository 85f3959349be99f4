"""Start-up recovery repairs task writes a crash interrupted (core_api/recovery.py): each
case below is the state a crash between two steps of a write leaves in the store.
tests/test_crash_safety.py produces such states with real SIGKILLs."""

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
from bson import ObjectId

from core_api.app import create_app
from core_api.recovery import INTENTS_COLLECTION

AN_HOUR_AGO = datetime.now(UTC) - timedelta(hours=1)


@contextlib.asynccontextmanager
async def restarted(settings, principals) -> AsyncIterator[httpx.AsyncClient]:
    """A core-api process started on the store as the crash left it, and a client of it."""
    app = create_app(settings, principals=principals)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://core") as client:
            yield client


def interrupted(action: str, project: dict, task_id: str, version: int | None, **at) -> dict:
    return {
        "_id": ObjectId(),
        "at": at.get("at", AN_HOUR_AGO),
        "action": action,
        "project_id": ObjectId(project["id"]),
        "tasks": [{"id": ObjectId(task_id), "version": version}],
        "actor": "alice",
        "actor_roles": ["member"],
        "request_id": "req-crashed",
    }


async def test_a_write_that_landed_without_audit_and_statistics_is_completed(
    client: httpx.AsyncClient, make_project, headers_for, mongo, settings, principals
):
    project = await make_project({})
    alice = headers_for("alice")
    task = (
        await client.post(f"/projects/{project['id']}/tasks", json={"title": "T"}, headers=alice)
    ).json()
    database = mongo[settings.database]
    # Crashed after writing the task, before its statistics and audit entry.
    await database.tasks.update_one(
        {"_id": ObjectId(task["id"])}, {"$set": {"status": "in_progress"}, "$inc": {"version": 1}}
    )
    intent = interrupted("task.updated", project, task["id"], 1)
    await database[INTENTS_COLLECTION].insert_one(intent)

    async with restarted(settings, principals) as after_crash:
        stats = await after_crash.get("/stats", params={"project": project["id"]}, headers=alice)

    entry = await database.audit.find_one({"target_id": task["id"], "after.version": 2})
    assert entry["action"] == "task.updated"
    assert (entry["actor"], entry["request_id"], entry["before"]) == ("alice", "req-crashed", None)
    assert entry["after"]["status"] == "in_progress"
    stats = stats.json()
    assert {k: v for k, v in stats["by_status"].items() if v} == {"in_progress": 1}
    assert await database[INTENTS_COLLECTION].find_one({"_id": intent["_id"]}) is None


async def test_a_claim_whose_write_never_landed_no_longer_refuses_the_next_edit(
    client: httpx.AsyncClient, make_project, headers_for, mongo, settings, principals
):
    project = await make_project({})
    alice = headers_for("alice")
    task = (
        await client.post(f"/projects/{project['id']}/tasks", json={"title": "T"}, headers=alice)
    ).json()
    database = mongo[settings.database]
    # Crashed after claiming version 1, before writing.
    await database.version_claims.insert_one({"_id": f"task:{task['id']}:1", "at": AN_HOUR_AGO})
    await database[INTENTS_COLLECTION].insert_one(
        interrupted("task.updated", project, task["id"], 1)
    )
    edit = {"json": {"title": "U"}, "headers": {**alice, "If-Match": '"1"'}}
    assert (await client.patch(f"/tasks/{task['id']}", **edit)).status_code == 412

    async with restarted(settings, principals) as after_crash:
        assert (await after_crash.patch(f"/tasks/{task['id']}", **edit)).status_code == 200


async def test_a_deletion_that_landed_unaudited_is_audited_and_a_live_write_left_alone(
    client: httpx.AsyncClient, make_project, headers_for, mongo, settings, principals
):
    project = await make_project({})
    alice = headers_for("alice")
    path = f"/projects/{project['id']}/tasks"
    gone, live = [
        (await client.post(path, json={"title": t}, headers=alice)).json() for t in ("A", "B")
    ]
    database = mongo[settings.database]
    await database.tasks.delete_one({"_id": ObjectId(gone["id"])})
    crashed = interrupted("task.deleted", project, gone["id"], 1)
    running = interrupted("task.updated", project, live["id"], 1, at=datetime.now(UTC))
    await database[INTENTS_COLLECTION].insert_many([crashed, running])

    async with restarted(settings, principals) as after_crash:
        stats = await after_crash.get("/stats", params={"project": project["id"]}, headers=alice)

    deletion = await database.audit.find_one({"target_id": gone["id"], "action": "task.deleted"})
    assert deletion is not None
    stats = stats.json()
    assert {k: v for k, v in stats["by_status"].items() if v} == {"todo": 1}
    # A write younger than CORE_RECOVERY_AFTER_S may still be running in another process.
    intents = database[INTENTS_COLLECTION]
    assert await intents.find_one({"_id": crashed["_id"]}) is None
    assert await intents.find_one({"_id": running["_id"]}) is not None
