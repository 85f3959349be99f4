"""Request and response bodies of the domain API. Inputs reject unknown fields."""

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from core_api.models import Priority, ProjectRole, TaskStatus

MAX_BULK = 500

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
ProjectKey = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{1,9}$")]
Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500)]
TaskDescription = Annotated[str, StringConstraints(max_length=20_000)]
ProjectDescription = Annotated[str, StringConstraints(max_length=5_000)]
UserId = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Label = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=50, pattern=r"^[^$]")
]
Labels = Annotated[list[Label], Field(max_length=20)]
ObjectIdText = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{24}$")]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


class ProjectCreate(Input):
    name: Name
    key: ProjectKey
    description: ProjectDescription = ""


class ProjectUpdate(Input):
    name: Name | None = None
    description: ProjectDescription | None = None

    @model_validator(mode="after")
    def _no_nulls(self) -> "ProjectUpdate":
        if any(getattr(self, name) is None for name in self.model_fields_set):
            raise ValueError("fields cannot be null")
        return self


class MemberPut(Input):
    role: ProjectRole


class MemberOut(BaseModel):
    user_id: str
    role: ProjectRole


class ProjectOut(BaseModel):
    id: str
    name: str
    key: str
    description: str
    members: list[MemberOut]
    version: int
    created_by: str
    created_at: datetime
    updated_at: datetime


class ProjectPage(BaseModel):
    items: list[ProjectOut]
    next: str | None


class TaskCreate(Input):
    title: Title
    description: TaskDescription = ""
    status: TaskStatus = TaskStatus.TODO
    priority: Priority = Priority.MEDIUM
    assignee: UserId | None = None
    labels: Labels = []
    due: date | None = None


class TaskUpdate(Input):
    """Only the fields sent change; `null` clears assignee or due."""

    title: Title | None = None
    description: TaskDescription | None = None
    status: TaskStatus | None = None
    priority: Priority | None = None
    assignee: UserId | None = None
    labels: Labels | None = None
    due: date | None = None

    @model_validator(mode="after")
    def _only_assignee_and_due_clear(self) -> "TaskUpdate":
        for name in self.model_fields_set - {"assignee", "due"}:
            if getattr(self, name) is None:
                raise ValueError(f"{name} cannot be null")
        return self


class TaskOut(BaseModel):
    id: str
    project_id: str
    title: str
    description: str
    status: TaskStatus
    priority: Priority
    assignee: str | None
    labels: list[str]
    due: date | None
    created_by: str
    created_at: datetime
    updated_at: datetime
    completed_at: datetime | None
    version: int


class TaskPage(BaseModel):
    items: list[TaskOut]
    next: str | None


class BulkStatusChange(Input):
    ids: Annotated[list[ObjectIdText], Field(min_length=1, max_length=MAX_BULK)]
    status: TaskStatus
    # Optional optimistic check per task: {"<task id>": <version the client saw>}.
    expected_versions: dict[ObjectIdText, int] = {}


class BulkResult(BaseModel):
    updated: int
    unchanged: int
    status: TaskStatus
