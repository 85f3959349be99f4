"""Only one of many concurrent writers wins a version transition, on the real store."""

import asyncio
from datetime import UTC, datetime, timedelta

from platform_common.claims import TransitionClaims


async def test_exactly_one_concurrent_claim_wins(mongo, database_name):
    claims = TransitionClaims(mongo[database_name]["claims"])
    for version in range(1, 11):
        outcomes = await asyncio.gather(*(claims.claim("task", "t1", version) for _ in range(8)))
        assert outcomes.count(True) == 1, f"version {version}: {outcomes}"


async def test_claims_are_per_document_and_version(mongo, database_name):
    claims = TransitionClaims(mongo[database_name]["claims"])
    assert await claims.claim("task", "t1", 1)
    assert await claims.claim("task", "t2", 1)
    assert await claims.claim("task", "t1", 2)
    assert await claims.claim("project", "t1", 1)
    assert not await claims.claim("task", "t1", 1)


async def test_sweep_forgets_only_old_claims(mongo, database_name):
    collection = mongo[database_name]["claims"]
    claims = TransitionClaims(collection)
    await claims.claim("task", "fresh", 1)
    await collection.insert_one({"_id": "task:old:1", "at": datetime.now(UTC) - timedelta(days=2)})
    assert await claims.sweep() == 1
    assert await collection.count_documents({}) == 1


async def test_sweep_can_forget_recent_claims_of_some_kinds_only(mongo, database_name):
    collection = mongo[database_name]["claims"]
    minute_ago = datetime.now(UTC) - timedelta(minutes=1)
    for claim_id in ["fragment:a:1", "fragment-use:a:1", "fragments:a:1", "task:a:1"]:
        await collection.insert_one({"_id": claim_id, "at": minute_ago})
    await TransitionClaims(collection).claim("fragment", "a", 2)
    claims = TransitionClaims(collection)
    assert await claims.sweep(timedelta(seconds=30), kinds=["fragment", "fragment-use"]) == 2
    left = {claim["_id"] async for claim in collection.find()}
    assert left == {"fragments:a:1", "task:a:1", "fragment:a:2"}
