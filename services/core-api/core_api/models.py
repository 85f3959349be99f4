"""Beanie documents owned by the core API (domain data, fragment registry, audit)."""

from datetime import UTC, datetime
from enum import StrEnum

import pymongo
from beanie import Document, Indexed, PydanticObjectId
from pydantic import BaseModel

from core_api.audit import AuditEntry


def utc_now() -> datetime:
    """Now, to the millisecond: what the store keeps, so a response equals a later read."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


class ProjectRole(StrEnum):
    OWNER = "owner"
    EDITOR = "editor"
    VIEWER = "viewer"


class Member(BaseModel):
    user_id: str
    role: ProjectRole


class Project(Document):
    name: str
    key: Indexed(str, unique=True)  # type: ignore[valid-type]
    description: str = ""
    members: list[Member]
    # The members' ids again, flat, so "projects I belong to" is one indexed equality match.
    member_ids: list[str]
    version: int = 1
    created_by: str
    created_at: datetime
    updated_at: datetime

    class Settings:
        name = "projects"
        indexes = [[("member_ids", pymongo.ASCENDING), ("_id", pymongo.ASCENDING)]]


class TaskStatus(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    CANCELLED = "cancelled"


OPEN_STATUSES = (TaskStatus.TODO, TaskStatus.IN_PROGRESS)


class Priority(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    URGENT = "urgent"


PRIORITY_RANK = {Priority.LOW: 0, Priority.MEDIUM: 1, Priority.HIGH: 2, Priority.URGENT: 3}
# Tasks without a due date sort after every dated one (a null cannot take part in a keyset).
NO_DUE_DATE = datetime(9999, 12, 31)


def _project_index(*fields: str) -> list[tuple[str, int]]:
    return [("project_id", pymongo.ASCENDING)] + [(f, pymongo.ASCENDING) for f in fields]


class Task(Document):
    project_id: PydanticObjectId
    title: str
    description: str = ""
    status: TaskStatus
    priority: Priority
    priority_rank: int
    assignee: str | None = None
    labels: list[str] = []
    due_at: datetime | None = None
    due_sort: datetime
    created_by: str
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None = None
    # What the statistics rollups count by (FerretDB v1 has no date operators).
    created_day: str
    completed_day: str | None = None
    cycle_time_s: int | None = None
    version: int = 1

    class Settings:
        name = "tasks"
        indexes = [
            _project_index("created_at", "_id"),
            _project_index("updated_at", "_id"),
            _project_index("due_sort", "_id"),
            _project_index("priority_rank", "_id"),
            _project_index("status", "created_at", "_id"),
            _project_index("assignee", "created_at", "_id"),
            _project_index("labels", "created_at", "_id"),
            _project_index("status", "due_at"),
        ]


# Statistics rollups, kept up to date by every task write (core_api/rollups.py).
class ProjectStats(Document):
    """Current-state counters of one project (`_id` = the project's id)."""

    id: PydanticObjectId
    by_status: dict[str, int] = {}
    by_priority: dict[str, int] = {}
    open_by_assignee: dict[str, int] = {}
    open_due: dict[str, int] = {}

    class Settings:
        name = "stats_projects"


class ProjectDayStats(Document):
    """One project's flow on one day (`_id` = "<project id>:<YYYY-MM-DD>")."""

    id: str  # type: ignore[assignment]
    project_id: PydanticObjectId
    day: str
    created: int = 0
    completed: int = 0
    cycle: dict[str, int] = {}  # cycle-time bucket -> tasks completed that day

    class Settings:
        name = "stats_days"
        indexes = [[("project_id", 1), ("day", 1)]]


DOCUMENTS: list[type[Document]] = [AuditEntry, Project, Task, ProjectStats, ProjectDayStats]
