"""Statistics rollups, kept up to date as tasks are written, so /stats reads a few small
documents whatever the number of tasks (FerretDB v1 filters and groups every row in Go).

Per project, one `stats_projects` document holds the current state: tasks by status and by
priority, open tasks per assignee and open tasks per due day (overdue = the days before
today). Per project and day, a `stats_days` document holds the tasks created that day, the
tasks completed that day and a histogram of their cycle times in log-spaced buckets (for
the median, approximate: see `bucket_value`).

Every task write adds the difference its change makes (`change(before, after)`) with `$inc`.
FerretDB v1 applies `$inc` as read-modify-write, so concurrent increments of one document
get lost: rollup updates are serialised per project by an asyncio lock in this process. So
on FerretDB a single core-api process may write tasks (MongoDB's `$inc` is atomic, so
several processes are fine there). `rebuild` recomputes a project's rollups from its tasks.
"""

import asyncio
import contextlib
import math
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

import structlog
from pymongo import ReplaceOne, UpdateOne

from core_api.models import OPEN_STATUSES, Project, ProjectDayStats, ProjectStats, Task, TaskStatus

log = structlog.get_logger("core-api")

# Cycle-time buckets: 8 per doubling, so a bucket spans a factor of 2^(1/8) = 1.09.
BUCKETS_PER_DOUBLING = 8
# The fields of a task that the rollups count by.
COUNTED_FIELDS = (
    "status",
    "priority",
    "assignee",
    "due_at",
    "created_day",
    "completed_day",
    "cycle_time_s",
)
_OPEN = {s.value for s in OPEN_STATUSES}


def cycle_bucket(seconds: int) -> int:
    """0 for under a second; else bucket k >= 1 holds [2^((k-1)/8), 2^(k/8)) seconds."""
    if seconds < 1:
        return 0
    return math.floor(math.log2(seconds) * BUCKETS_PER_DOUBLING) + 1


def bucket_value(bucket: int) -> float:
    """A bucket's geometric middle: within 2^(1/16) - 1 = 4.4% of any value in it."""
    if bucket == 0:
        return 0.0
    return 2 ** ((bucket - 0.5) / BUCKETS_PER_DOUBLING)


def field_key(value: str) -> str:
    """A user id as a document field name (no '.', '$' or NUL; '%' escaped so it reverses)."""
    return "".join(f"%{ord(c):02X}" if c in "%.$\x00" else c for c in value)


def from_field_key(key: str) -> str:
    return unquote(key)


@dataclass
class Delta:
    """Increments: `current` by "figure.key" path, `days` by day then field path."""

    current: Counter[str] = field(default_factory=Counter)
    days: defaultdict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))

    def add(self, other: "Delta", sign: int = 1) -> None:
        for path, n in other.current.items():
            self.current[path] += sign * n
        for day, counts in other.days.items():
            for path, n in counts.items():
                self.days[day][path] += sign * n

    def nonzero(self) -> "Delta":
        result = Delta()
        result.current.update({p: n for p, n in self.current.items() if n})
        for day, counts in self.days.items():
            if kept := {p: n for p, n in counts.items() if n}:
                result.days[day].update(kept)
        return result


def contribution(task: Mapping[str, Any]) -> Delta:
    """What one stored task adds to its project's rollups."""
    delta = Delta()
    status = str(task["status"])
    delta.current[f"by_status.{status}"] += 1
    delta.current[f"by_priority.{task['priority']}"] += 1
    if status in _OPEN:
        if task.get("assignee") is not None:
            delta.current[f"open_by_assignee.{field_key(task['assignee'])}"] += 1
        if task.get("due_at") is not None:
            delta.current[f"open_due.{task['due_at'].date().isoformat()}"] += 1
    delta.days[task["created_day"]]["created"] += 1
    if status == TaskStatus.DONE and task.get("completed_day"):
        completed = delta.days[task["completed_day"]]
        completed["completed"] += 1
        completed[f"cycle.{cycle_bucket(task['cycle_time_s'] or 0)}"] += 1
    return delta


def change(before: Task | None, after: Task | None) -> Delta:
    """What changing a task from `before` to `after` (None: absent) does to the rollups."""
    delta = Delta()
    if after is not None:
        delta.add(contribution(after.model_dump(include=set(COUNTED_FIELDS))))
    if before is not None:
        delta.add(contribution(before.model_dump(include=set(COUNTED_FIELDS))), sign=-1)
    return delta.nonzero()


def _nested(counts: Mapping[str, int]) -> dict[str, Any]:
    """{"a.b": 1, "c": 2} -> {"a": {"b": 1}, "c": 2}, dropping zeros."""
    nested: dict[str, Any] = {}
    for path, n in counts.items():
        if not n:
            continue
        head, _, rest = path.partition(".")
        if rest:
            nested.setdefault(head, {})[rest] = n
        else:
            nested[head] = n
    return nested


def _day_id(project_id: Any, day: str) -> str:
    return f"{project_id}:{day}"


class _Gate:
    """One project's rollup writers: any number of task writes at once, each adding its
    delta under `lock`; a rebuild waits for the writes in flight and holds new ones off."""

    def __init__(self) -> None:
        self.lock = asyncio.Lock()
        self.rebuilding = asyncio.Lock()
        self.open = asyncio.Event()
        self.open.set()
        self.idle = asyncio.Event()
        self.idle.set()
        self.writers = 0


class Rollups:
    """The rollup writer of this process (on `app.state.rollups`)."""

    def __init__(self) -> None:
        self._gates: defaultdict[Any, _Gate] = defaultdict(_Gate)

    @contextlib.asynccontextmanager
    async def writing(self, project_id: Any) -> AsyncIterator[None]:
        """Wraps a task write and its `apply`, so that a rebuild never counts a write
        whose delta is still to come."""
        gate = self._gates[project_id]
        await gate.open.wait()
        gate.writers += 1
        gate.idle.clear()
        try:
            yield
        finally:
            gate.writers -= 1
            if gate.writers == 0:
                gate.idle.set()

    async def apply(self, project_id: Any, delta: Delta) -> None:
        delta = delta.nonzero()
        day_updates = [
            UpdateOne(
                {"_id": _day_id(project_id, day)},
                {"$inc": dict(counts), "$setOnInsert": {"project_id": project_id, "day": day}},
                upsert=True,
            )
            for day, counts in delta.days.items()
        ]
        async with self._gates[project_id].lock:
            if delta.current:
                await ProjectStats.get_pymongo_collection().update_one(
                    {"_id": project_id}, {"$inc": dict(delta.current)}, upsert=True
                )
            if day_updates:
                await ProjectDayStats.get_pymongo_collection().bulk_write(
                    day_updates, ordered=False
                )

    async def drop(self, project_id: Any) -> None:
        async with self._gates[project_id].lock:
            await ProjectStats.get_pymongo_collection().delete_one({"_id": project_id})
            await ProjectDayStats.get_pymongo_collection().delete_many({"project_id": project_id})
        self._gates.pop(project_id, None)

    async def rebuild(self, project_id: Any) -> int:
        """Recomputes a project's rollups from its tasks; returns how many it counted."""
        gate = self._gates[project_id]
        async with gate.rebuilding:
            gate.open.clear()
            try:
                await gate.idle.wait()
                async with gate.lock:
                    totals, counted = await _count_tasks(project_id)
                    await _replace(project_id, totals)
            finally:
                gate.open.set()
        return counted

    async def reserve(self, project_id: Any) -> None:
        """Gives a project about to be written straight to the store empty rollups, so that
        a start-up rebuild (of projects without any) leaves it to the writer's own rebuild."""
        await ProjectStats.get_pymongo_collection().update_one(
            {"_id": project_id}, {"$setOnInsert": {"by_status": {}}}, upsert=True
        )

    async def rebuild_all(self, only_missing: bool = False) -> dict[str, int]:
        """Rebuilds every project's rollups (or only those without any); returns the
        tasks counted per project id rebuilt."""
        projects = Project.get_pymongo_collection().find({}, {"_id": 1})
        project_ids = [raw["_id"] async for raw in projects]
        if only_missing:
            having = ProjectStats.get_pymongo_collection().find({}, {"_id": 1})
            present = {raw["_id"] async for raw in having}
            project_ids = [i for i in project_ids if i not in present]
        rebuilt = {str(i): await self.rebuild(i) for i in project_ids}
        if rebuilt:
            log.info("statistics rollups rebuilt", projects=len(rebuilt))
        return rebuilt


async def _count_tasks(project_id: Any) -> tuple[Delta, int]:
    totals, counted = Delta(), 0
    projection = dict.fromkeys(COUNTED_FIELDS, 1)
    async for raw in Task.get_pymongo_collection().find({"project_id": project_id}, projection):
        totals.add(contribution(raw))
        counted += 1
    return totals, counted


async def _replace(project_id: Any, totals: Delta) -> None:
    """Writes the recomputed rollups over the old ones (never leaving a moment without)."""
    empty: dict[str, dict[str, int]] = {
        "by_status": {},
        "by_priority": {},
        "open_by_assignee": {},
        "open_due": {},
    }
    await ProjectStats.get_pymongo_collection().replace_one(
        {"_id": project_id}, empty | _nested(totals.current), upsert=True
    )
    days = {day: counts for day, counts in totals.nonzero().days.items()}
    replacements = [
        ReplaceOne(
            {"_id": _day_id(project_id, day)},
            {"project_id": project_id, "day": day, "created": 0, "completed": 0, "cycle": {}}
            | _nested(counts),
            upsert=True,
        )
        for day, counts in days.items()
    ]
    collection = ProjectDayStats.get_pymongo_collection()
    if replacements:
        await collection.bulk_write(replacements, ordered=False)
    kept = [_day_id(project_id, day) for day in days]
    await collection.delete_many({"project_id": project_id, "_id": {"$nin": kept}})
