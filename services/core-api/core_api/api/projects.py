"""Projects and their members."""

from dataclasses import dataclass
from typing import Annotated, Any

import pymongo
from fastapi import APIRouter, Depends, Path, Query, Request, Response, status
from pymongo.errors import DuplicateKeyError

from core_api import versioned
from core_api.access import project_for, project_to_change, visibility_filter
from core_api.concurrency import etag_of, not_modified
from core_api.deps import (
    Claims,
    CurrentPrincipal,
    Cursors,
    Events,
    ObjectIdPath,
    Principals,
    RollupsDep,
)
from core_api.errors import PROJECT_READ, PROJECT_WRITE, ErrorCode, api_error
from core_api.models import Member, Project, ProjectRole, Task, utc_now
from core_api.principals import PrincipalsUnavailable
from core_api.projects import announce, members_with, project_out, save_if_unchanged
from core_api.schemas import MemberPut, ProjectCreate, ProjectOut, ProjectPage, ProjectUpdate
from core_api.tasks import containing
from platform_common.api_docs import conditional, etag
from platform_common.errors import error_responses
from platform_common.pagination import PAGED, Cursor, KeysetSort, Limit

router = APIRouter(prefix="/projects", tags=["projects"])

MemberId = Annotated[
    str,
    Path(
        min_length=1,
        max_length=200,
        description="A user's id, or client:<client id> for a service account",
    ),
]
OLDEST_FIRST = KeysetSort("projects", (("_id", pymongo.ASCENDING),))


@dataclass
class _OwnerChange:
    """What every change an owner makes to a project takes: the caller, the event bus, the
    version claims, the request (its If-Match) and the response (the new ETag)."""

    principal: CurrentPrincipal
    bus: Events
    claims: Claims
    request: Request
    response: Response

    async def project(self, project_id: str) -> Project:
        return await project_to_change(self.principal, project_id, self.request)

    def answer(self, project: Project) -> ProjectOut:
        self.response.headers["ETag"] = etag_of(project.version)
        return project_out(project)


OwnerChange = Annotated[_OwnerChange, Depends()]


@router.get(
    "",
    name="projects_list",
    summary="Projects the caller belongs to (admins: all)",
    responses=error_responses(PAGED),
)
async def list_projects(
    principal: CurrentPrincipal,
    cursors: Cursors,
    limit: Limit = 50,
    cursor: Cursor = None,
    q: Annotated[str | None, Query(min_length=1, max_length=200, description="In name")] = None,
) -> ProjectPage:
    query: dict[str, Any] = visibility_filter(principal)
    if q:
        query["name"] = containing(q)
    query = cursors.page_query(OLDEST_FIRST, query, cursor)
    collection = Project.get_pymongo_collection()
    found = await collection.find(query).sort(OLDEST_FIRST.mongo_sort()).limit(limit + 1).to_list()
    items = found[:limit]
    return ProjectPage(
        items=[project_out(Project.model_validate(raw)) for raw in items],
        next=cursors.encode(OLDEST_FIRST, items[-1]) if len(found) > limit else None,
    )


@router.post(
    "",
    name="projects_create",
    responses={**etag(201), **error_responses({409: [ErrorCode.PROJECT_KEY_TAKEN]})},
    status_code=status.HTTP_201_CREATED,
    summary="Create a project (you own it)",
)
async def create_project(
    body: ProjectCreate, principal: CurrentPrincipal, bus: Events, response: Response
) -> ProjectOut:
    now = utc_now()
    project = Project(
        **body.model_dump(),
        members=[Member(user_id=principal.subject, role=ProjectRole.OWNER)],
        member_ids=[principal.subject],
        created_by=principal.subject,
        created_at=now,
        updated_at=now,
    )
    try:
        await project.insert()
    except DuplicateKeyError as error:
        raise api_error(
            status.HTTP_409_CONFLICT, ErrorCode.PROJECT_KEY_TAKEN, f"Key {body.key} is taken"
        ) from error
    await announce(bus, principal, "project.created", project, None, project)
    response.headers["ETag"] = etag_of(project.version)
    return project_out(project)


@router.get(
    "/{project_id}",
    name="projects_get",
    response_model=ProjectOut,
    responses={**etag(200, 304), **error_responses(PROJECT_READ)},
    openapi_extra=conditional(if_none_match=True),
)
async def get_project(
    project_id: ObjectIdPath, principal: CurrentPrincipal, request: Request, response: Response
) -> Any:
    project = await project_for(principal, project_id, ProjectRole.VIEWER)
    if unchanged := not_modified(request, project.version):
        return unchanged
    response.headers["ETag"] = etag_of(project.version)
    return project_out(project)


@router.patch(
    "/{project_id}",
    name="projects_update",
    summary="Rename or describe a project (owner)",
    responses={**etag(200), **error_responses(PROJECT_WRITE)},
    openapi_extra=conditional(if_match=True),
)
async def update_project(
    project_id: ObjectIdPath, body: ProjectUpdate, change: OwnerChange
) -> ProjectOut:
    project = await change.project(project_id)
    changes = body.model_dump(exclude_unset=True, exclude_none=True)
    if not changes:
        return change.answer(project)
    updated = await save_if_unchanged(change.claims, project, changes)
    await announce(change.bus, change.principal, "project.updated", project, project, updated)
    return change.answer(updated)


@router.delete(
    "/{project_id}",
    name="projects_delete",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=error_responses(PROJECT_WRITE),
    openapi_extra=conditional(if_match=True),
)
async def delete_project(
    project_id: ObjectIdPath, change: OwnerChange, rollups: RollupsDep
) -> None:
    """Deletes the project and all its tasks (owner)."""
    principal = change.principal
    project = await change.project(project_id)
    await versioned.delete(change.claims, versioned.PROJECTS, project)
    await Task.get_pymongo_collection().delete_many({"project_id": project.id})
    await rollups.drop(project.id)
    await announce(change.bus, principal, "project.deleted", project, project, None)


@router.put(
    "/{project_id}/members/{user_id}",
    name="members_put",
    summary="Add a member or change their role (owner)",
    # 404 MEMBER_NOT_FOUND: no such active account; 503: auth could not be asked.
    responses={
        **etag(200),
        **error_responses(
            PROJECT_WRITE,
            {
                404: [ErrorCode.MEMBER_NOT_FOUND],
                409: [ErrorCode.LAST_OWNER],
                503: [ErrorCode.MEMBER_CHECK_UNAVAILABLE],
            },
        ),
    },
    openapi_extra=conditional(if_match=True),
)
async def put_member(
    project_id: ObjectIdPath,
    user_id: MemberId,
    body: MemberPut,
    change: OwnerChange,
    principals: Principals,
) -> ProjectOut:
    """A new member must be a known, active user or service account (`client:<id>`), as
    the auth service says; changing a member's role asks nothing."""
    project = await change.project(project_id)
    if user_id not in project.member_ids:
        await _ensure_active(principals, user_id)
    return await _change_members(project, user_id, body.role, change)


@router.delete(
    "/{project_id}/members/{user_id}",
    name="members_delete",
    summary="Remove a member (owner)",
    responses={**etag(200), **error_responses(PROJECT_WRITE, {409: [ErrorCode.LAST_OWNER]})},
    openapi_extra=conditional(if_match=True),
)
async def delete_member(
    project_id: ObjectIdPath, user_id: MemberId, change: OwnerChange
) -> ProjectOut:
    return await _change_members(await change.project(project_id), user_id, None, change)


async def _ensure_active(principals: Principals, user_id: str) -> None:
    try:
        active = await principals.is_active(user_id)
    except PrincipalsUnavailable as error:
        raise api_error(
            status.HTTP_503_SERVICE_UNAVAILABLE,
            ErrorCode.MEMBER_CHECK_UNAVAILABLE,
            "Accounts cannot be checked right now; try again shortly",
        ) from error
    if not active:
        raise api_error(
            status.HTTP_404_NOT_FOUND,
            ErrorCode.MEMBER_NOT_FOUND,
            f"{user_id[:40]!r} is not an active user or service account",
        )


async def _change_members(
    project: Project, user_id: str, role: ProjectRole | None, change: _OwnerChange
) -> ProjectOut:
    members = members_with(project, user_id, role)
    updated = await save_if_unchanged(
        change.claims,
        project,
        {
            "members": [m.model_dump(mode="json") for m in members],
            "member_ids": [m.user_id for m in members],
        },
    )
    action = "project.member_removed" if role is None else "project.member_set"
    await announce(
        change.bus, change.principal, action, project, project, updated, also_visible_to=(user_id,)
    )
    return change.answer(updated)
