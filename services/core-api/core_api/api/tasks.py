"""Tasks: list with filters and cursors, create, read, change, delete, bulk status."""

from datetime import date
from typing import Annotated, Any

from beanie import PydanticObjectId
from fastapi import APIRouter, Query, Request, Response, status

from core_api import audit, versioned
from core_api.access import project_for, task_for, task_to_change
from core_api.concurrency import etag_of, not_modified
from core_api.deps import (
    Claims,
    CurrentPrincipal,
    Cursors,
    Events,
    Intents,
    ObjectIdPath,
    RollupsDep,
)
from core_api.errors import PROJECT_READ, TASK_READ, TASK_WRITE, ErrorCode
from core_api.models import Priority, Project, ProjectRole, Task, TaskStatus, utc_now
from core_api.projects import audience
from core_api.recovery import CREATED, DELETED, UPDATED
from core_api.rollups import change
from core_api.schemas import TaskCreate, TaskOut, TaskPage, TaskUpdate
from core_api.tasks import (
    TaskSort,
    check_assignee,
    check_transition,
    derived_fields,
    due_at,
    keyset_sort,
    list_query,
    task_out,
)
from platform_common.api_docs import conditional, etag
from platform_common.errors import error_responses
from platform_common.pagination import PAGED, Cursor, Limit
from platform_common.tokens import Principal

router = APIRouter(tags=["tasks"])


@router.get(
    "/projects/{project_id}/tasks",
    name="tasks_list",
    responses=error_responses(PAGED, PROJECT_READ),
    summary="List a project's tasks, a page at a time",
)
async def list_tasks(
    project_id: ObjectIdPath,
    principal: CurrentPrincipal,
    cursors: Cursors,
    limit: Limit = 50,
    cursor: Cursor = None,
    sort: TaskSort = TaskSort.CREATED_DESC,
    task_status: Annotated[list[TaskStatus] | None, Query(alias="status")] = None,
    priority: Annotated[list[Priority] | None, Query()] = None,
    assignee: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
    label: Annotated[str | None, Query(min_length=1, max_length=50)] = None,
    due_before: date | None = None,
    due_after: date | None = None,
    q: Annotated[str | None, Query(min_length=1, max_length=200, description="In title")] = None,
) -> TaskPage:
    project = await project_for(principal, project_id, ProjectRole.VIEWER)
    order = keyset_sort(sort)
    query = list_query(
        project,
        statuses=task_status,
        priorities=priority,
        assignee=assignee,
        label=label,
        due_before=due_before,
        due_after=due_after,
        text=q,
    )
    query = cursors.page_query(order, query, cursor)
    collection = Task.get_pymongo_collection()
    found = await collection.find(query).sort(order.mongo_sort()).limit(limit + 1).to_list()
    items = found[:limit]
    next_cursor = cursors.encode(order, items[-1]) if len(found) > limit else None
    return TaskPage(items=[task_out(Task.model_validate(raw)) for raw in items], next=next_cursor)


@router.post(
    "/projects/{project_id}/tasks",
    name="tasks_create",
    status_code=status.HTTP_201_CREATED,
    responses={
        **etag(201),
        **error_responses(
            PROJECT_READ,
            {403: [ErrorCode.PROJECT_ROLE_REQUIRED], 422: [ErrorCode.ASSIGNEE_NOT_MEMBER]},
        ),
    },
)
async def create_task(
    project_id: ObjectIdPath,
    body: TaskCreate,
    principal: CurrentPrincipal,
    bus: Events,
    rollups: RollupsDep,
    intents: Intents,
    response: Response,
) -> TaskOut:
    project = await project_for(principal, project_id, ProjectRole.EDITOR)
    check_assignee(project, body.assignee)
    now = utc_now()
    fields: dict[str, Any] = {
        **body.model_dump(exclude={"due"}),
        "due_at": due_at(body.due),
        "created_at": now,
        "updated_at": now,
    }
    task = Task(
        **fields,
        **derived_fields(fields, now),
        id=PydanticObjectId(),  # known before the insert, so an interrupted write names it
        project_id=project.id,
        created_by=principal.subject,
        created_day=now.date().isoformat(),
    )
    async with intents.writing(CREATED, project.id, {task.id: None}, principal):
        async with rollups.writing(project.id):
            await task.insert()
            await rollups.apply(project.id, change(None, task))
        out = task_out(task)
        await _announce(bus, principal, CREATED, project, task, None, out)
    response.headers["ETag"] = etag_of(task.version)
    return out


@router.get(
    "/tasks/{task_id}",
    name="tasks_get",
    response_model=TaskOut,
    responses={**etag(200, 304), **error_responses(TASK_READ)},
    openapi_extra=conditional(if_none_match=True),
)
async def get_task(
    task_id: ObjectIdPath, principal: CurrentPrincipal, request: Request, response: Response
) -> Any:
    task, _ = await task_for(principal, task_id, ProjectRole.VIEWER)
    if unchanged := not_modified(request, task.version):
        return unchanged
    response.headers["ETag"] = etag_of(task.version)
    return task_out(task)


@router.patch(
    "/tasks/{task_id}",
    name="tasks_update",
    responses={
        **etag(200),
        **error_responses(
            TASK_WRITE,
            {409: [ErrorCode.INVALID_TRANSITION], 422: [ErrorCode.ASSIGNEE_NOT_MEMBER]},
        ),
    },
    openapi_extra=conditional(if_match=True),
)
async def update_task(
    task_id: ObjectIdPath,
    body: TaskUpdate,
    principal: CurrentPrincipal,
    bus: Events,
    claims: Claims,
    rollups: RollupsDep,
    intents: Intents,
    request: Request,
    response: Response,
) -> TaskOut:
    task, project = await task_to_change(principal, task_id, request)
    sent = body.model_dump(exclude_unset=True)
    if "status" in sent:
        check_transition(task.status, sent["status"])
    if "assignee" in sent:
        check_assignee(project, sent["assignee"])
    if "due" in sent:
        sent["due_at"] = due_at(sent.pop("due"))
    if not sent:
        response.headers["ETag"] = etag_of(task.version)
        return task_out(task)
    now = utc_now()
    merged = {**task.model_dump(), **sent}
    changes = {**sent, **derived_fields(merged, now), "updated_at": now}
    async with intents.writing(UPDATED, project.id, {task.id: task.version}, principal):
        async with rollups.writing(project.id):
            updated = await versioned.update(claims, versioned.TASKS, task, changes)
            ours = task.model_copy(update={**changes, "version": task.version + 1})
            await rollups.apply(project.id, change(task, ours))
        before, after = task_out(task), task_out(updated)
        await _announce(bus, principal, UPDATED, project, updated, before, after)
    response.headers["ETag"] = etag_of(updated.version)
    return after


@router.delete(
    "/tasks/{task_id}",
    name="tasks_delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(TASK_WRITE),
    openapi_extra=conditional(if_match=True),
)
async def delete_task(
    task_id: ObjectIdPath,
    principal: CurrentPrincipal,
    bus: Events,
    claims: Claims,
    rollups: RollupsDep,
    intents: Intents,
    request: Request,
) -> None:
    task, project = await task_to_change(principal, task_id, request)
    async with intents.writing(DELETED, project.id, {task.id: task.version}, principal):
        async with rollups.writing(project.id):
            await versioned.delete(claims, versioned.TASKS, task)
            await rollups.apply(project.id, change(task, None))
        await _announce(bus, principal, DELETED, project, task, task_out(task), None)


async def _announce(
    bus: Events,
    actor: Principal,
    action: str,
    project: Project,
    task: Task,
    before: TaskOut | None,
    after: TaskOut | None,
) -> None:
    before_json = before.model_dump(mode="json") if before else None
    after_json = after.model_dump(mode="json") if after else None
    await audit.record(
        actor, action, "task", str(task.id), before_json, after_json, project_id=str(project.id)
    )
    payload = after_json or {"id": str(task.id), "project_id": str(project.id)}
    await bus.publish(action, payload, visible_to=audience(project))
