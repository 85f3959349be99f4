"""Who may do what in a project. Invisible things answer 404, never 403, so that ids
cannot be probed; a visible project answers 403 when the caller's role is too low."""

from typing import Any

from bson import ObjectId
from bson.errors import InvalidId
from fastapi import Request, status

from core_api.concurrency import check_version, expected_version
from core_api.errors import ErrorCode, api_error, not_found
from core_api.models import Project, ProjectRole, Task
from platform_common.tokens import Principal

RANK = {ProjectRole.VIEWER: 0, ProjectRole.EDITOR: 1, ProjectRole.OWNER: 2}


def parse_object_id(value: str, what: str) -> ObjectId:
    try:
        return ObjectId(value)
    except (InvalidId, TypeError) as error:
        raise api_error(
            status.HTTP_422_UNPROCESSABLE_CONTENT,
            ErrorCode.INVALID_OBJECT_ID,
            f"{value[:40]!r} is not a valid {what} id (24 hex digits)",
        ) from error


def role_in(project: Project, principal: Principal) -> ProjectRole | None:
    for member in project.members:
        if member.user_id == principal.subject:
            return member.role
    return None


def visibility_filter(principal: Principal) -> dict[str, Any]:
    """The projects a caller may see, as a query."""
    return {} if principal.is_admin else {"member_ids": principal.subject}


def require_role(project: Project, principal: Principal, needed: ProjectRole) -> None:
    if principal.is_admin:
        return
    role = role_in(project, principal)
    if role is None:
        raise _project_not_found()
    if RANK[role] < RANK[needed]:
        raise api_error(
            status.HTTP_403_FORBIDDEN,
            ErrorCode.PROJECT_ROLE_REQUIRED,
            f"This needs the {needed.value} role in the project (you are {role.value})",
        )


async def project_for(principal: Principal, project_id: str, needed: ProjectRole) -> Project:
    project = await Project.get(parse_object_id(project_id, "project"))
    if project is None:
        raise _project_not_found()
    require_role(project, principal, needed)
    return project


async def task_for(principal: Principal, task_id: str, needed: ProjectRole) -> tuple[Task, Project]:
    task = await Task.get(parse_object_id(task_id, "task"))
    project = await Project.get(task.project_id) if task else None
    if task is None or project is None:
        raise _task_not_found()
    if not principal.is_admin and role_in(project, principal) is None:
        raise _task_not_found()
    require_role(project, principal, needed)
    return task, project


async def project_to_change(principal: Principal, project_id: str, request: Request) -> Project:
    """The project, when the caller owns it and it is at the version `If-Match` names."""
    expected = expected_version(request)
    project = await project_for(principal, project_id, ProjectRole.OWNER)
    check_version(expected, project.version)
    return project


async def task_to_change(
    principal: Principal, task_id: str, request: Request
) -> tuple[Task, Project]:
    """The task and its project, when the caller may edit it and it is at the version
    `If-Match` names."""
    expected = expected_version(request)
    task, project = await task_for(principal, task_id, ProjectRole.EDITOR)
    check_version(expected, task.version)
    return task, project


def _project_not_found() -> Exception:
    return not_found(ErrorCode.PROJECT_NOT_FOUND, "No such project (or you are not a member)")


def _task_not_found() -> Exception:
    return not_found(ErrorCode.TASK_NOT_FOUND, "No such task (or you may not see its project)")
