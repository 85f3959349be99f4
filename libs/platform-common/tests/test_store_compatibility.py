"""What the services rely on from the store, proven against the real server (FerretDB v1 by
default): Beanie 2 on PyMongo's async client. See docs/store.md for what we avoid."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from beanie import Document, Indexed, init_beanie
from pydantic import Field
from pymongo import ASCENDING, DESCENDING, IndexModel
from pymongo.errors import DuplicateKeyError

from platform_common.indexes import ensure_indexes


class Ticket(Document):
    key: str
    status: str
    points: int
    day: str  # the bucket a statistic groups by, stored rather than computed
    created_at: datetime = Field(default_factory=lambda: datetime.now(UTC))

    class Settings:
        name = "tickets"
        indexes = [
            IndexModel("key", unique=True),
            IndexModel([("status", ASCENDING), ("points", DESCENDING)]),
        ]


@pytest.fixture
async def tickets(mongo, database_name) -> AsyncIterator[type[Ticket]]:
    await init_beanie(database=mongo[database_name], document_models=[Ticket])
    await Ticket.insert_many(
        [
            Ticket(
                key=f"T-{n}",
                status="done" if n % 3 == 0 else "todo",
                points=n,
                day=f"2026-11-{n % 2 + 1:02d}",
            )
            for n in range(1, 13)
        ]
    )
    yield Ticket


async def test_insert_and_find_with_filters(tickets):
    found = await tickets.find(tickets.status == "done", tickets.points > 5).to_list()
    assert sorted(t.key for t in found) == ["T-12", "T-6", "T-9"]


async def test_sort_skip_limit(tickets):
    page = (
        await tickets.find(tickets.status == "todo")
        .sort(-tickets.points)
        .skip(2)
        .limit(3)
        .to_list()
    )
    assert [t.points for t in page] == [8, 7, 5]


async def test_update_and_delete(tickets):
    await tickets.find_one(tickets.key == "T-1").update(
        {"$set": {"status": "done"}, "$inc": {"points": 10}}
    )
    updated = await tickets.find_one(tickets.key == "T-1")
    assert (updated.status, updated.points) == ("done", 11)
    await updated.delete()
    assert await tickets.find_one(tickets.key == "T-1") is None


async def test_count(tickets):
    assert await tickets.find(tickets.status == "todo").count() == 8
    assert await tickets.count() == 12


async def test_unique_index_violation_is_reported(tickets):
    with pytest.raises(DuplicateKeyError):
        await Ticket(key="T-1", status="todo", points=0, day="2026-11-01").insert()
    assert await tickets.find(tickets.key == "T-1").count() == 1


async def test_aggregation_match_group(tickets):
    # One accumulator per $group: FerretDB v1 silently returns 0 for every accumulator after
    # the first (docs/store.md), so counts and sums are separate pipelines.
    async def grouped(accumulator: dict) -> list[dict]:
        return await tickets.aggregate(
            [
                {"$match": {"status": "todo"}},
                {"$group": {"_id": "$day", "value": accumulator}},
                {"$sort": {"_id": 1}},
            ]
        ).to_list()

    assert await grouped({"$sum": 1}) == [
        {"_id": "2026-11-01", "value": 4},
        {"_id": "2026-11-02", "value": 4},
    ]
    assert await grouped({"$sum": "$points"}) == [
        {"_id": "2026-11-01", "value": 2 + 4 + 8 + 10},
        {"_id": "2026-11-02", "value": 1 + 5 + 7 + 11},
    ]


class Card(Document):
    number: Indexed(int, unique=True)
    lane: str
    rank: int

    class Settings:
        name = "cards"
        indexes = [
            IndexModel([("lane", ASCENDING), ("rank", DESCENDING)]),
            IndexModel("rank"),
        ]


async def test_indexes_are_declared_again_on_every_start(mongo, database_name):
    # A restart re-declares existing indexes; several in one command break FerretDB v1.
    for _start in range(3):
        await init_beanie(database=mongo[database_name], document_models=[Card], skip_indexes=True)
        await ensure_indexes([Card])
    names = set(await mongo[database_name]["cards"].index_information())
    assert names == {"_id_", "number_1", "lane_1_rank_-1", "rank_1"}
    await Card(number=1, lane="a", rank=1).insert()
    with pytest.raises(DuplicateKeyError):
        await Card(number=1, lane="b", rank=2).insert()
