"""Task rules shared by the routes: status transitions, the fields derived for sorting
and statistics, and how list filters and sorts become store queries."""

import re
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any

import pymongo
from fastapi import status

from core_api.errors import ErrorCode, api_error
from core_api.models import NO_DUE_DATE, PRIORITY_RANK, Priority, Project, Task, TaskStatus
from core_api.schemas import TaskOut
from platform_common.pagination import KeysetSort

S = TaskStatus
# Done can be reopened; cancelled must be reopened (to todo) before anything else.
TRANSITIONS: dict[TaskStatus, set[TaskStatus]] = {
    S.TODO: {S.IN_PROGRESS, S.DONE, S.CANCELLED},
    S.IN_PROGRESS: {S.TODO, S.DONE, S.CANCELLED},
    S.DONE: {S.TODO, S.IN_PROGRESS},
    S.CANCELLED: {S.TODO},
}


class TaskSort(StrEnum):
    CREATED = "created"
    CREATED_DESC = "-created"
    UPDATED = "updated"
    UPDATED_DESC = "-updated"
    DUE = "due"
    DUE_DESC = "-due"
    PRIORITY = "priority"
    PRIORITY_DESC = "-priority"


_SORT_FIELDS = {
    "created": "created_at",
    "updated": "updated_at",
    "due": "due_sort",
    "priority": "priority_rank",
}


def keyset_sort(sort: TaskSort) -> KeysetSort:
    direction = pymongo.DESCENDING if sort.startswith("-") else pymongo.ASCENDING
    field = _SORT_FIELDS[sort.removeprefix("-")]
    return KeysetSort(f"tasks:{sort.value}", ((field, direction), ("_id", direction)))


def check_transition(current: TaskStatus, wanted: TaskStatus) -> None:
    if wanted != current and wanted not in TRANSITIONS[current]:
        raise api_error(
            status.HTTP_409_CONFLICT,
            ErrorCode.INVALID_TRANSITION,
            f"A {current.value} task cannot become {wanted.value}"
            + (" (reopen it to todo first)" if current == S.CANCELLED else ""),
        )


def check_assignee(project: Project, assignee: str | None) -> None:
    if assignee is not None and assignee not in project.member_ids:
        raise api_error(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            ErrorCode.ASSIGNEE_NOT_MEMBER,
            "The assignee must be a member of the project",
        )


def due_at(due: date | None) -> datetime | None:
    return datetime.combine(due, time(), tzinfo=UTC) if due else None


def derived_fields(fields: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The stored fields that follow from the others. `fields` holds the task's status,
    priority, due_at, created_at and (previous) completed_at."""
    done = fields["status"] == S.DONE
    completed_at = (fields.get("completed_at") or now) if done else None
    return {
        "priority_rank": PRIORITY_RANK[Priority(fields["priority"])],
        "due_sort": fields.get("due_at") or NO_DUE_DATE,
        "completed_at": completed_at,
        "completed_day": completed_at.date().isoformat() if completed_at else None,
        "cycle_time_s": (
            int((completed_at - fields["created_at"]).total_seconds()) if completed_at else None
        ),
    }


def task_out(task: Task) -> TaskOut:
    return TaskOut(
        id=str(task.id),
        project_id=str(task.project_id),
        title=task.title,
        description=task.description,
        status=task.status,
        priority=task.priority,
        assignee=task.assignee,
        labels=task.labels,
        due=task.due_at.date() if task.due_at else None,
        created_by=task.created_by,
        created_at=task.created_at,
        updated_at=task.updated_at,
        completed_at=task.completed_at,
        version=task.version,
    )


def list_query(
    project: Project,
    *,
    statuses: list[TaskStatus] | None,
    priorities: list[Priority] | None,
    assignee: str | None,
    label: str | None,
    due_before: date | None,
    due_after: date | None,
    text: str | None,
) -> dict[str, Any]:
    query: dict[str, Any] = {"project_id": project.id}
    if statuses:
        query["status"] = _one_of([s.value for s in set(statuses)])
    if priorities:
        query["priority"] = _one_of([p.value for p in set(priorities)])
    if assignee is not None:
        query["assignee"] = assignee
    if label is not None:
        query["labels"] = label
    if due_before or due_after:
        query["due_at"] = {
            **({"$lt": due_at(due_before)} if due_before else {}),
            **({"$gt": due_at(due_after)} if due_after else {}),
        }
    if text:
        query["title"] = containing(text)
    return query


def containing(text: str) -> dict[str, str]:
    """Matches strings containing `text`, ignoring case (FerretDB v1 has no text index, but
    $regex with the "i" option)."""
    return {"$regex": re.escape(text), "$options": "i"}


def _one_of(values: list[str]) -> Any:
    """A single value as plain equality: FerretDB v1 pushes equality down to its SQL
    backend, $in it evaluates itself over every row."""
    return values[0] if len(values) == 1 else {"$in": sorted(values)}
