"""Periodic upkeep: health samples older than the window are pruned, and a claim whose
winner died before applying its change stops blocking the fragment."""

import asyncio
from datetime import UTC, datetime, timedelta

import pytest

from core_api.registry import route_turns

WINDOW_S = 60


@pytest.fixture
def settings(settings):
    return settings.model_copy(
        update={
            "fragment_upkeep_interval_s": 0.1,
            "claims_sweep_interval_s": 0.1,
            "canary_window_s": WINDOW_S,
        }
    )


async def _eventually(condition, timeout_s=5.0):
    deadline = asyncio.get_running_loop().time() + timeout_s
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, "did not happen in time"
        await asyncio.sleep(0.05)


def _sample(reporter, last_at):
    return {"fragment": "reports", "version": "1.0.0", "reporter": reporter, "last_at": last_at}


async def test_health_samples_older_than_the_window_are_pruned(
    registry, client, mongo, database_name
):
    await registry.live("reports", "1.0.0")
    samples = mongo[database_name]["fragment_health"]
    now = datetime.now(UTC)
    window = timedelta(seconds=WINDOW_S)
    await samples.insert_many(
        [
            _sample("gone-0", now - window - timedelta(minutes=2)),
            _sample("gone-30", now - timedelta(days=30)),
            # Out of the window but within the margin kept for other processes' clocks.
            _sample("margin", now - window - timedelta(seconds=20)),
        ]
    )
    body = {"fragment": "reports", "version": "1.0.0", "outcome": "success"}
    reported = await client.post(
        "/fragments/health-reports", json=body, headers=registry.token("fresh", "member")
    )
    assert reported.status_code == 202

    async def only_recent_left():
        return await samples.count_documents({"reporter": {"$in": ["gone-0", "gone-30"]}}) == 0

    await _eventually(only_recent_left)
    left = {sample["reporter"] async for sample in samples.find()}
    assert left == {"margin", "fresh"}
    health = (await client.get("/fragments/reports/health", headers=registry.admin)).json()
    assert health["versions"][0]["reporters"] == 1


async def test_a_stuck_claim_blocks_changes_only_until_the_sweep_releases_it(
    registry, core_app, mongo, database_name
):
    await registry.live("reports", "1.0.0", "1.1.0")
    fragment = await mongo[database_name]["fragments"].find_one({"name": "reports"})
    claims = mongo[database_name]["version_claims"]
    stuck_id = f"fragment:{fragment['_id']}:{fragment['revision']}"
    # A process claimed this revision and died before applying its change.
    await claims.insert_one({"_id": stuck_id, "at": datetime.now(UTC)})

    refused = await registry.act("reports", "activate", {"version": "1.1.0"})
    assert refused.status_code == 409
    assert refused.json()["detail"]["code"] == "FRAGMENT_CHANGED_CONCURRENTLY"
    await core_app.state.version_claims.sweep_stuck()
    assert await claims.count_documents({"_id": stuck_id}) == 1, "a recent claim is kept"

    await claims.update_one(
        {"_id": stuck_id}, {"$set": {"at": datetime.now(UTC) - timedelta(minutes=2)}}
    )

    async def released():
        return await claims.count_documents({"_id": stuck_id}) == 0

    await _eventually(released)
    activated = await registry.act("reports", "activate", {"version": "1.1.0"})
    assert activated.status_code == 200
    assert activated.json()["active_version"] == "1.1.0"


async def test_a_stuck_turn_to_serve_routes_blocks_only_until_the_sweep_releases_it(
    registry, mongo, database_name, monkeypatch
):
    monkeypatch.setattr(route_turns, "PATIENCE_S", 0.3)
    await registry.live("reports", "1.0.0", "1.1.0")
    served = await mongo[database_name]["fragment_routes"].find_one({"_id": "served"})
    claims = mongo[database_name]["version_claims"]
    stuck_id = f"fragment-routes:served:{served['revision']}"
    # A process took the registry's turn to serve routes and died before ending it.
    await claims.insert_one({"_id": stuck_id, "at": datetime.now(UTC)})

    refused = await registry.act("reports", "activate", {"version": "1.1.0"})
    assert refused.status_code == 409
    assert refused.json()["detail"]["code"] == "ROUTES_BUSY"
    assert (await registry.act("reports", "disable")).status_code == 200, (
        "taking routes away needs no turn, and the refused change left no claim behind"
    )

    await claims.update_one(
        {"_id": stuck_id}, {"$set": {"at": datetime.now(UTC) - timedelta(minutes=2)}}
    )

    async def released():
        return await claims.count_documents({"_id": stuck_id}) == 0

    await _eventually(released)
    enabled = await registry.act("reports", "enable")
    assert enabled.status_code == 200
    assert enabled.json()["enabled"] is True


async def test_a_turn_ended_late_does_not_set_the_served_routes_revision_back(
    registry, mongo, database_name, monkeypatch
):
    monkeypatch.setattr(route_turns, "PATIENCE_S", 0.3)
    await registry.live("reports", "1.0.0", "1.1.0")
    assert (await registry.act("reports", "activate", {"version": "1.1.0"})).status_code == 200
    served = mongo[database_name]["fragment_routes"]
    revision = (await served.find_one({"_id": "served"}))["revision"]

    # A process stalled holding an earlier turn past the sweep; others moved on; it wakes.
    await route_turns.end_turn(revision - 2)

    assert (await served.find_one({"_id": "served"}))["revision"] == revision
    rolled_back = await registry.act("reports", "rollback")
    assert rolled_back.status_code == 200, rolled_back.text
