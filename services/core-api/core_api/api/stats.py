"""GET /stats: the dashboard's figures, read from the rollups that every task write keeps
up to date (core_api/rollups.py): a few small documents per project, whatever the number of
tasks. POST /stats/rebuild (admin) recomputes the rollups from the tasks.
"""

import re
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, BeforeValidator

from core_api.access import project_for, visibility_filter
from core_api.deps import AdminPrincipal, CurrentPrincipal, RollupsDep
from core_api.errors import ADMIN_ONLY, PROJECT_READ, ErrorCode, bad_request
from core_api.models import Project, ProjectDayStats, ProjectRole, ProjectStats
from core_api.rollups import bucket_value, from_field_key
from platform_common.errors import error_responses

router = APIRouter(tags=["stats"])

# `project` was renamed `project_id` (CHANGELOG.md); the old name works for one release.
FormerProjectParameter = Annotated[
    str | None, Query(deprecated=True, description="Former name of project_id")
]


def _full_date(value: Any) -> Any:
    # The document says `format: date` (YYYY-MM-DD); pydantic alone would also read `0` as
    # a Unix time.
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise ValueError("must be a date such as 2026-01-31")
    return value


CalendarDate = Annotated[date, BeforeValidator(_full_date)]
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


class Rebuilt(BaseModel):
    projects: int
    tasks: int


@router.get(
    "/stats",
    name="stats_get",
    responses=error_responses(PROJECT_READ, {400: [ErrorCode.INVALID_RANGE]}),
    summary="Counts, load, daily flow, median cycle time and overdue tasks",
)
async def stats(
    principal: CurrentPrincipal,
    project_id: Annotated[str | None, Query(description="One project (default: all yours)")] = None,
    project: FormerProjectParameter = None,
    range_from: Annotated[CalendarDate | None, Query(alias="from")] = None,
    range_to: Annotated[CalendarDate | None, Query(alias="to", description="Inclusive")] = None,
) -> Stats:
    """by_status, by_priority, open_by_assignee and overdue describe the tasks as they are
    now; per_day and the median cover tasks created / completed within from..to. The median
    is approximate (within 4.4%, see docs/core-api.md)."""
    today = datetime.now(UTC).date()
    last = range_to or today
    first = range_from or last - timedelta(days=DEFAULT_DAYS - 1)
    if first > last or (last - first).days >= MAX_DAYS:
        raise bad_request(ErrorCode.INVALID_RANGE, f"from..to must be 1 to {MAX_DAYS} days")
    project_ids = await _project_ids(principal, project_id or project)
    scope = project_ids[0] if len(project_ids) == 1 else {"$in": project_ids}
    current = await ProjectStats.get_pymongo_collection().find({"_id": scope}).to_list()
    days = (
        await ProjectDayStats.get_pymongo_collection()
        .find({"project_id": scope, "day": {"$gte": first.isoformat(), "$lte": last.isoformat()}})
        .to_list()
    )
    created, completed, cycle = Counter[str](), Counter[str](), Counter[int]()
    for row in days:
        created[row["day"]] += row.get("created", 0)
        completed[row["day"]] += row.get("completed", 0)
        cycle.update({int(b): n for b, n in row.get("cycle", {}).items()})
    open_due = _summed(current, "open_due")
    return Stats(
        projects=[str(i) for i in project_ids],
        range_from=first,
        range_to=last,
        by_status=_summed(current, "by_status"),
        by_priority=_summed(current, "by_priority"),
        open_by_assignee={
            from_field_key(k): n for k, n in _summed(current, "open_by_assignee").items()
        },
        per_day=[
            DayCount(
                day=day,
                created=created[day.isoformat()],
                completed=completed[day.isoformat()],
            )
            for day in _days(first, last)
        ],
        median_cycle_time_s=_median(cycle),
        completed_in_range=sum(completed.values()),
        overdue=sum(n for day, n in open_due.items() if day < today.isoformat()),
    )


@router.post(
    "/stats/rebuild",
    name="stats_rebuild",
    responses=error_responses(ADMIN_ONLY),
    summary="Recompute the statistics rollups from the tasks (admin)",
)
async def rebuild(
    admin: AdminPrincipal,
    rollups: RollupsDep,
    project_id: Annotated[str | None, Query(description="One project (default: all)")] = None,
    project: FormerProjectParameter = None,
) -> Rebuilt:
    project = project_id or project
    if project is None:
        counted = await rollups.rebuild_all()
        return Rebuilt(projects=len(counted), tasks=sum(counted.values()))
    found = await project_for(admin, project, ProjectRole.VIEWER)
    return Rebuilt(projects=1, tasks=await rollups.rebuild(found.id))


async def _project_ids(principal: CurrentPrincipal, project: str | None) -> list[Any]:
    if project is not None:
        return [(await project_for(principal, project, ProjectRole.VIEWER)).id]
    visible = Project.get_pymongo_collection().find(visibility_filter(principal), {"_id": 1})
    return [raw["_id"] async for raw in visible]


def _summed(documents: Iterable[dict[str, Any]], figure: str) -> dict[str, int]:
    total = Counter[str]()
    for document in documents:
        total.update(document.get(figure, {}))
    return {key: n for key, n in total.items() if n > 0}


def _median(histogram: Counter[int]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count), each taken as
    its bucket's middle."""
    count = sum(histogram.values())
    if count == 0:
        return None
    wanted = sorted({(count - 1) // 2, count // 2})
    values, seen = [], 0
    for bucket in sorted(histogram):
        seen += histogram[bucket]
        while wanted and wanted[0] < seen:
            values.append(bucket_value(bucket))
            wanted.pop(0)
    if len(values) == 1:
        values.append(values[0])
    return round(sum(values) / 2, 1)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
