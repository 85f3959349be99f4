"""Version claims: given back when unused, and swept when their writer died."""

import asyncio
from datetime import UTC, datetime, timedelta

from core_api.app import create_app
from core_api.version_claims import CLAIMS_COLLECTION, PROJECT, TASK, VersionClaims


async def test_a_released_claim_can_be_won_again(mongo, database_name):
    claims = VersionClaims(mongo[database_name])
    won, lost = await claims.claim_all(TASK, {"a": 1, "b": 4})
    assert (won, lost) == (["a", "b"], [])
    assert (await claims.claim_all(TASK, {"a": 1, "c": 1})) == (["c"], ["a"])

    await claims.release(TASK, {"a": 1, "b": 4})

    assert (await claims.claim_all(TASK, {"a": 1, "b": 4})) == (["a", "b"], [])
    assert not await claims.claim(TASK, "c", 1)


async def test_a_failed_write_gives_its_claim_back(mongo, database_name):
    claims = VersionClaims(mongo[database_name])
    try:
        async with claims.exclusive(PROJECT, "p", 2) as won:
            assert won
            raise RuntimeError("the write failed")
    except RuntimeError:
        pass
    assert await claims.claim(PROJECT, "p", 2)


async def test_only_old_claims_of_core_apis_kinds_are_swept(mongo, database_name):
    collection = mongo[database_name][CLAIMS_COLLECTION]
    long_ago = datetime.now(UTC) - timedelta(minutes=5)
    swept = [
        "task:a:1",
        "project:b:1",
        "fragment:c:1",
        "fragment-override:d:0",
        "fragment-routes:served:2",
    ]
    for claim_id in [*swept, "tasks-x:e:1"]:
        await collection.insert_one({"_id": claim_id, "at": long_ago})
    claims = VersionClaims(mongo[database_name])
    await claims.claim(TASK, "fresh", 1)

    assert await claims.sweep_stuck() == len(swept)

    left = {claim["_id"] async for claim in collection.find()}
    assert left == {"tasks-x:e:1", "task:fresh:1"}


async def test_the_app_sweeps_stuck_claims_while_it_runs(settings, mongo):
    collection = mongo[settings.database][CLAIMS_COLLECTION]
    await collection.insert_one(
        {"_id": "task:stuck:1", "at": datetime.now(UTC) - timedelta(minutes=5)}
    )
    app = create_app(settings.model_copy(update={"claims_sweep_interval_s": 0.05}))
    async with app.router.lifespan_context(app):
        for _ in range(100):
            if await collection.count_documents({}) == 0:
                break
            await asyncio.sleep(0.05)
    assert await collection.count_documents({}) == 0
