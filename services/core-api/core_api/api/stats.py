"""GET /stats: the dashboard's figures, computed by the store's aggregation.

Written for FerretDB v1's subset: every figure groups by a field stored on the task
(status, priority, assignee, created_day, completed_day), each $group has exactly one
accumulator ($sum), and the median is read by sorting on the indexed cycle_time_s and
skipping to the middle, instead of by loading tasks into Python.
"""

from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel

from core_api.access import project_for, visibility_filter
from core_api.deps import CurrentPrincipal
from core_api.errors import ErrorCode, bad_request
from core_api.models import OPEN_STATUSES, Project, ProjectRole, Task, TaskStatus

router = APIRouter(tags=["stats"])

MAX_DAYS = 366
DEFAULT_DAYS = 30


class DayCount(BaseModel):
    day: date
    created: int
    completed: int


class Stats(BaseModel):
    projects: list[str]
    range_from: date
    range_to: date
    by_status: dict[str, int]
    by_priority: dict[str, int]
    open_by_assignee: dict[str, int]
    per_day: list[DayCount]
    median_cycle_time_s: float | None
    completed_in_range: int
    overdue: int


@router.get("/stats", summary="Counts, load, daily flow, median cycle time and overdue tasks")
async def stats(
    principal: CurrentPrincipal,
    project: Annotated[str | None, Query(description="One project (default: all yours)")] = None,
    range_from: Annotated[date | None, Query(alias="from")] = None,
    range_to: Annotated[date | None, Query(alias="to", description="Inclusive")] = None,
) -> Stats:
    """by_status, by_priority, open_by_assignee and overdue describe the tasks as they are
    now; per_day and the median cover tasks created / completed within from..to."""
    today = datetime.now(UTC).date()
    last = range_to or today
    first = range_from or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last or (last - first).days >= MAX_DAYS:
        raise bad_request(ErrorCode.INVALID_RANGE, f"from..to must be 1 to {MAX_DAYS} days")
    project_ids = await _project_ids(principal, project)
    # One project: plain equality, which FerretDB v1 pushes down to its SQL backend.
    scope: dict[str, Any] = {
        "project_id": project_ids[0] if len(project_ids) == 1 else {"$in": project_ids}
    }
    days = {"$gte": first.isoformat(), "$lte": last.isoformat()}
    completed_scope = {**scope, "status": TaskStatus.DONE.value, "completed_day": days}
    created = await _count_by(scope | {"created_day": days}, "created_day")
    completed = await _count_by(completed_scope, "completed_day")
    completed_count = sum(completed.values())
    return Stats(
        projects=[str(i) for i in project_ids],
        range_from=first,
        range_to=last,
        by_status=await _count_by(scope, "status"),
        by_priority=await _count_by(scope, "priority"),
        open_by_assignee=await _count_by(_open(scope) | {"assignee": {"$ne": None}}, "assignee"),
        per_day=[
            DayCount(
                day=day,
                created=created.get(day.isoformat(), 0),
                completed=completed.get(day.isoformat(), 0),
            )
            for day in _days(first, last)
        ],
        median_cycle_time_s=await _median_cycle_time(completed_scope, completed_count),
        completed_in_range=completed_count,
        overdue=await Task.get_pymongo_collection().count_documents(
            _open(scope) | {"due_at": {"$lt": datetime.combine(today, time(), tzinfo=UTC)}}
        ),
    )


async def _project_ids(principal: CurrentPrincipal, project: str | None) -> list[Any]:
    if project is not None:
        return [(await project_for(principal, project, ProjectRole.VIEWER)).id]
    visible = Project.get_pymongo_collection().find(visibility_filter(principal), {"_id": 1})
    return [raw["_id"] async for raw in visible]


def _open(scope: dict[str, Any]) -> dict[str, Any]:
    return {**scope, "status": {"$in": [s.value for s in OPEN_STATUSES]}}


async def _count_by(match: dict[str, Any], field: str) -> dict[str, int]:
    pipeline = [{"$match": match}, {"$group": {"_id": f"${field}", "n": {"$sum": 1}}}]
    cursor = await Task.get_pymongo_collection().aggregate(pipeline)
    return {str(row["_id"]): int(row["n"]) async for row in cursor}


async def _median_cycle_time(match: dict[str, Any], count: int) -> float | None:
    if count == 0:
        return None
    middle = [(count - 1) // 2, count // 2]
    values = []
    for skip in sorted(set(middle)):
        rows = (
            await Task.get_pymongo_collection()
            .find(match, {"cycle_time_s": 1})
            .sort([("cycle_time_s", 1), ("_id", 1)])
            .skip(skip)
            .limit(1)
            .to_list()
        )
        values.append(rows[0]["cycle_time_s"])
    return sum(values) / len(values)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
