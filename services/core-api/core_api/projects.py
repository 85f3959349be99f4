"""Project changes shared by the routes: versioned writes, and the events and audit
entries that every change leaves."""

from typing import Any

from fastapi import status

from core_api import audit, versioned
from core_api.errors import ErrorCode, api_error
from core_api.events import EventBus, Visibility
from core_api.models import Member, Project, ProjectRole, utc_now
from core_api.schemas import MemberOut, ProjectOut
from core_api.version_claims import VersionClaims
from platform_common.tokens import Principal


def project_out(project: Project) -> ProjectOut:
    return ProjectOut(
        id=str(project.id),
        name=project.name,
        key=project.key,
        description=project.description,
        members=[MemberOut(user_id=m.user_id, role=m.role) for m in project.members],
        version=project.version,
        created_by=project.created_by,
        created_at=project.created_at,
        updated_at=project.updated_at,
    )


def audience(project: Project, *also: str) -> Visibility:
    return Visibility.to_project(str(project.id), {*project.member_ids, *also})


async def save_if_unchanged(
    claims: VersionClaims, project: Project, changes: dict[str, Any]
) -> Project:
    """Applies `changes` only if nobody changed the project since it was read (412 else)."""
    return await versioned.update(
        claims, versioned.PROJECTS, project, {**changes, "updated_at": utc_now()}
    )


def members_with(project: Project, user_id: str, role: ProjectRole | None) -> list[Member]:
    """The member list after setting (or, with None, removing) one member's role; refuses
    to leave the project without an owner."""
    members = [m for m in project.members if m.user_id != user_id]
    if role is not None:
        members.append(Member(user_id=user_id, role=role))
    if not any(m.role == ProjectRole.OWNER for m in members):
        raise api_error(
            status.HTTP_409_CONFLICT, ErrorCode.LAST_OWNER, "A project keeps at least one owner"
        )
    return members


async def announce(
    bus: EventBus,
    actor: Principal,
    action: str,
    project: Project,
    before: Project | None,
    after: Project | None,
    *,
    also_visible_to: tuple[str, ...] = (),
) -> None:
    before_out = project_out(before).model_dump(mode="json") if before else None
    after_out = project_out(after).model_dump(mode="json") if after else None
    await audit.record(
        actor,
        action,
        "project",
        str(project.id),
        before_out,
        after_out,
        project_id=str(project.id),
    )
    await bus.publish(
        action,
        after_out or {"id": str(project.id)},
        visible_to=audience(project, *also_visible_to),
    )
