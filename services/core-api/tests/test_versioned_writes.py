"""The versioned-write primitive on the real store: a write lands only on the version it
read, and every other outcome is a refusal that changes nothing."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from fastapi import HTTPException

from core_api import versioned
from core_api.app import create_app
from core_api.models import Member, Project, ProjectRole, Task, TaskStatus
from core_api.tasks import derived_fields
from core_api.version_claims import PROJECT, TASK, VersionClaims
from core_api.versioned import Versioned


@pytest.fixture
async def claims(settings) -> AsyncIterator[VersionClaims]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        yield app.state.version_claims


async def a_project(key: str = "APL") -> Project:
    now = datetime.now(UTC)
    project = Project(
        name="Apollo",
        key=key,
        members=[Member(user_id="alice", role=ProjectRole.OWNER)],
        member_ids=["alice"],
        created_by="alice",
        created_at=now,
        updated_at=now,
    )
    return await project.insert()


async def a_task(project: Project) -> Task:
    now = datetime.now(UTC)
    fields = {"status": TaskStatus.TODO, "priority": "medium", "created_at": now}
    task = Task(
        **fields,
        **derived_fields(fields, now),
        project_id=project.id,
        title="Launch",
        created_by="alice",
        updated_at=now,
        created_day=now.date().isoformat(),
    )
    return await task.insert()


def refusal(error: pytest.ExceptionInfo[HTTPException]) -> tuple[int, str, str]:
    detail: dict[str, str] = error.value.detail  # type: ignore[assignment]
    return error.value.status_code, detail["code"], detail["reason"]


async def stored(document: Versioned) -> Versioned:
    found = await type(document).get(document.id)
    assert found is not None
    return found


async def test_an_update_returns_the_document_as_stored(claims):
    project = await a_project()

    updated = await versioned.update(claims, versioned.PROJECTS, project, {"name": "Artemis"})

    assert (updated.name, updated.version) == ("Artemis", 2)
    assert updated == await Project.get(project.id)


async def changed_elsewhere(document: Project | Task, changes: dict) -> None:
    """A change whose claim is gone by now (swept, or made by another process on MongoDB,
    where a conditional update needs none)."""
    await (
        type(document)
        .get_pymongo_collection()
        .update_one({"_id": document.id}, {"$set": changes, "$inc": {"version": 1}})
    )


async def test_an_update_of_a_version_changed_since_is_stale(claims):
    project = await a_project()
    await changed_elsewhere(project, {"name": "Artemis"})

    with pytest.raises(HTTPException) as refused:
        await versioned.update(claims, versioned.PROJECTS, project, {"name": "Gemini"})

    status, code, reason = refusal(refused)
    assert (status, code) == (412, "VERSION_MISMATCH")
    assert "now version 2" in reason
    assert (await stored(project)).name == "Artemis"


async def test_an_update_that_lost_the_race_for_its_version_changes_nothing(claims):
    project = await a_project()
    assert await claims.claim(PROJECT, project.id, 1)  # another writer of version 1 won

    with pytest.raises(HTTPException) as refused:
        await versioned.update(claims, versioned.PROJECTS, project, {"name": "Gemini"})

    assert refusal(refused)[:2] == (412, "VERSION_MISMATCH")
    found = await stored(project)
    assert (found.name, found.version) == ("Apollo", 1)


async def test_concurrent_writers_of_one_version_leave_exactly_one_change(claims):
    project = await a_project()
    names = [f"Name {i}" for i in range(12)]

    outcomes = await asyncio.gather(
        *(versioned.update(claims, versioned.PROJECTS, project, {"name": n}) for n in names),
        return_exceptions=True,
    )

    won = [o for o in outcomes if isinstance(o, Project)]
    refused = [o for o in outcomes if isinstance(o, HTTPException)]
    assert len(won) == 1 and len(refused) == len(names) - 1
    assert all(r.status_code == 412 for r in refused)
    found = await stored(project)
    assert (found.name, found.version) == (won[0].name, 2)


async def test_writes_to_a_document_deleted_meanwhile_answer_404(claims):
    to_update, to_delete = await a_project("APL"), await a_project("GEM")
    projects = Project.get_pymongo_collection()
    await projects.delete_many({"_id": {"$in": [to_update.id, to_delete.id]}})

    with pytest.raises(HTTPException) as updating:
        await versioned.update(claims, versioned.PROJECTS, to_update, {"name": "Gemini"})
    with pytest.raises(HTTPException) as deleting:
        await versioned.delete(claims, versioned.PROJECTS, to_delete)

    assert refusal(updating)[:2] == (404, "PROJECT_NOT_FOUND")
    assert refusal(deleting)[:2] == (404, "PROJECT_NOT_FOUND")
    assert await Project.get(to_update.id) is None


async def test_a_delete_removes_the_version_read(claims):
    project = await a_project()

    await versioned.delete(claims, versioned.PROJECTS, project)

    assert await Project.get(project.id) is None


async def test_a_delete_of_a_version_changed_since_is_stale(claims):
    project = await a_project()
    task = await a_task(project)
    await changed_elsewhere(task, {"title": "Land"})

    with pytest.raises(HTTPException) as refused:
        await versioned.delete(claims, versioned.TASKS, task)

    status, code, reason = refusal(refused)
    assert (status, code) == (412, "VERSION_MISMATCH")
    assert "now version 2" in reason
    assert (await stored(task)).title == "Land"


async def test_update_all_writes_every_document_or_none(claims):
    project = await a_project()
    first, second, third = [await a_task(project) for _ in range(3)]
    assert await claims.claim(TASK, third.id, 1)  # another request is changing the third

    with pytest.raises(versioned.Contended) as contended:
        await versioned.update_all(
            claims, versioned.TASKS, [(t, {"title": "Bulk"}) for t in (first, second, third)]
        )

    assert contended.value.ids == [third.id]
    for task in (first, second, third):
        found = await stored(task)
        assert (found.title, found.version) == ("Launch", 1)

    # The claims won before the refusal were given back: the next request writes them.
    await versioned.update_all(
        claims, versioned.TASKS, [(t, {"title": "Bulk"}) for t in (first, second)]
    )
    for task in (first, second):
        found = await stored(task)
        assert (found.title, found.version) == ("Bulk", 2)
