"""Request and response bodies of the domain API. Inputs reject unknown fields."""

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator
from pydantic.json_schema import SkipJsonSchema

from core_api.models import Priority, ProjectRole, TaskStatus

MAX_BULK = 500

# Stripped, so one character that is not white space is needed; the pattern says so.
Name = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=r"\S")
]
ProjectKey = Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z0-9]{1,9}$")]
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500, pattern=r"\S")
]
TaskDescription = Annotated[str, StringConstraints(max_length=20_000)]
ProjectDescription = Annotated[str, StringConstraints(max_length=5_000)]
UserId = Annotated[str, StringConstraints(min_length=1, max_length=200)]
Label = Annotated[
    # Checked after stripping; written so that the unstripped text obeys it too.
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=50, pattern=r"^\s*[^\s$]"),
]
Labels = Annotated[list[Label], Field(max_length=20)]
ObjectIdText = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{24}$")]


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False)


class ProjectCreate(Input):
    name: Name
    key: ProjectKey
    description: ProjectDescription = ""


# A field that may be left out of a PATCH but not sent as null: its schema has no null.
Unset = SkipJsonSchema[None]


def _no_defaults(schema: dict[str, Any]) -> None:
    for field in schema.get("properties", {}).values():
        field.pop("default", None)


class Patch(Input):
    """A PATCH body: only the fields sent change, so none has a default to declare."""

    model_config = ConfigDict(json_schema_extra=_no_defaults)


class ProjectUpdate(Patch):
    name: Name | Unset = None
    description: ProjectDescription | Unset = None

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


class TaskUpdate(Patch):
    """Only the fields sent change; `null` clears assignee or due."""

    title: Title | Unset = None
    description: TaskDescription | Unset = None
    status: TaskStatus | Unset = None
    priority: Priority | Unset = None
    assignee: UserId | None = None
    labels: Labels | Unset = None
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
    # Declared unique: a repeated id is 422 BULK_DUPLICATE_IDS (api/bulk.py).
    ids: Annotated[
        list[ObjectIdText],
        Field(min_length=1, max_length=MAX_BULK, json_schema_extra={"uniqueItems": True}),
    ]
    status: TaskStatus
    # Optional optimistic check per task: {"<task id>": <version the client saw>}.
    # Pydantic declares the keys as patternProperties only; a key that is not a task id is
    # refused (422), so the schema says no other property.
    expected_versions: Annotated[
        dict[ObjectIdText, int], Field(json_schema_extra={"additionalProperties": False})
    ] = {}


class BulkResult(BaseModel):
    updated: int
    unchanged: int
    status: TaskStatus
