"""The one versioned-write primitive: change or delete a task or project only if nobody
changed it since it was read.

A write is a conditional `update_one`/`delete_one` on the version field. On MongoDB that
alone is atomic; FerretDB v1 tells every one of several concurrent writers of the same
version that it matched (docs/store.md), so each write first claims the transition from
the version it read (core_api/version_claims.py), and exactly one claimant writes. The
routes call `update`, `delete` and `update_all` and never see the claims, so the domain
code reads the same whichever store runs.

Outcomes, the same for every kind: the new document; 412 VERSION_MISMATCH naming the
current version (changed meanwhile, or another writer of this version won); 404 with the
kind's code when it was deleted meanwhile. Task writes also record a write intent around
the whole change (`WriteIntents.writing`, core_api/recovery.py), so that a crash between
the claim, the write and what follows it is repaired at start-up.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pymongo import UpdateOne

from core_api.concurrency import lost_race, stale
from core_api.errors import ErrorCode, not_found
from core_api.models import Project, Task
from core_api.version_claims import PROJECT, TASK, VersionClaims

Versioned = TypeVar("Versioned", Task, Project)


@dataclass(frozen=True)
class DocKind(Generic[Versioned]):
    """What the primitive needs to know of a versioned document kind."""

    claim: str
    document: type[Versioned]
    not_found: ErrorCode
    what: str

    def deleted_meanwhile(self) -> Exception:
        return not_found(self.not_found, f"The {self.what} was deleted meanwhile")


TASKS = DocKind(TASK, Task, ErrorCode.TASK_NOT_FOUND, "task")
PROJECTS = DocKind(PROJECT, Project, ErrorCode.PROJECT_NOT_FOUND, "project")


class Contended(Exception):
    """`update_all`: another writer holds some of the documents; nothing was changed."""

    def __init__(self, ids: list[Any]) -> None:
        super().__init__(f"{len(ids)} documents are being changed by another writer")
        self.ids = ids


async def update(
    claims: VersionClaims,
    kind: DocKind[Versioned],
    current: Versioned,
    changes: dict[str, Any],
) -> Versioned:
    """Sets `changes` and moves the version on by one; returns the document as stored."""
    async with claims.exclusive(kind.claim, current.id, current.version) as won:
        if not won:
            raise lost_race(current.version)
        result = await kind.document.get_pymongo_collection().update_one(
            {"_id": current.id, "version": current.version},
            {"$set": changes, "$inc": {"version": 1}},
        )
    fresh = await kind.document.get(current.id)
    if fresh is None:
        raise kind.deleted_meanwhile()
    if result.modified_count == 0:
        raise stale(fresh.version)
    return fresh


async def delete(claims: VersionClaims, kind: DocKind[Versioned], current: Versioned) -> None:
    """Deletes the document at the version read."""
    async with claims.exclusive(kind.claim, current.id, current.version) as won:
        if not won:
            raise lost_race(current.version)
        result = await kind.document.get_pymongo_collection().delete_one(
            {"_id": current.id, "version": current.version}
        )
    if result.deleted_count:
        return
    fresh = await kind.document.get(current.id)
    if fresh is None:
        raise kind.deleted_meanwhile()
    raise stale(fresh.version)


async def update_all(
    claims: VersionClaims,
    kind: DocKind[Versioned],
    writes: Sequence[tuple[Versioned, dict[str, Any]]],
) -> None:
    """Applies each document's `changes`, all or none as far as claims can tell: when
    another writer holds any of them, raises `Contended` with nothing changed. (A crash
    while writing can leave part applied: task write intents repair what follows.)"""
    versions = {current.id: current.version for current, _ in writes}
    won, lost = await claims.claim_all(kind.claim, versions)
    if lost:
        await claims.release(kind.claim, {i: versions[i] for i in won})
        raise Contended(lost)
    operations = [
        UpdateOne(
            {"_id": current.id, "version": current.version},
            {"$set": changes, "$inc": {"version": 1}},
        )
        for current, changes in writes
    ]
    try:
        if operations:
            await kind.document.get_pymongo_collection().bulk_write(operations, ordered=False)
    except BaseException:
        await claims.release(kind.claim, versions)
        raise
