"""Repairing task writes that a crash interrupted.

A task write is several store operations: claim the version, write the task, add its change
to the statistics rollups, write the audit entry. FerretDB v1 has no transactions, so a
crash of the store or of core-api between two of them would leave a task without its audit
entry, statistics off by that write, or a version claim refusing every later edit of the
task. So each task write first records its intent in `write_intents` (the project, each
task with the version the write read, the action, the actor) and deletes it once every step
is done — or once the write was refused, which changes nothing (in batches).

An intent older than `recovery_after_s` belongs to a write that was interrupted (a write
takes milliseconds). Recovery, at start-up and every `recovery_interval_s`:

- releases the claim on the version the write read when the task is still at that version
  (the write never landed);
- writes the audit entry of each task's current version when it is missing (actor and
  request id from the intent; `before` is unknown, so null), and of a deletion that landed;
- rebuilds the project's statistics from its tasks;

then deletes the intent. Live events of a repaired write are not sent (clients reload the
data they show when their event stream reconnects). See docs/store.md, "What survives a
crash", and tests/test_crash_safety.py.
"""

import contextlib
from collections.abc import AsyncIterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import structlog
from bson import ObjectId
from fastapi import HTTPException
from pymongo.asynchronous.database import AsyncDatabase

from core_api import audit
from core_api.models import Task
from core_api.rollups import Rollups
from core_api.tasks import task_out
from core_api.version_claims import TASK, VersionClaims
from platform_common.tokens import Principal

log = structlog.get_logger("core-api")

INTENTS_COLLECTION = "write_intents"
CREATED, UPDATED, DELETED = "task.created", "task.updated", "task.deleted"


class WriteIntents:
    """Records task writes in flight and repairs the ones a crash left (`app.state`)."""

    def __init__(
        self, database: AsyncDatabase[dict[str, Any]], claims: VersionClaims, rollups: Rollups
    ) -> None:
        self._intents = database[INTENTS_COLLECTION]
        self._claims = claims
        self._rollups = rollups
        self._done: list[ObjectId] = []

    @contextlib.asynccontextmanager
    async def writing(
        self,
        action: str,
        project_id: Any,
        versions: Mapping[Any, int | None],
        actor: Principal,
    ) -> AsyncIterator[None]:
        """Wraps every step of one task write (its claims, the write, rollups, audit,
        event). `versions`: each task's version as read, None for a task being created.
        Anything but a refusal (an HTTP error) leaves the intent for recovery."""
        intent_id = ObjectId()
        await self._intents.insert_one(
            {
                "_id": intent_id,
                "at": datetime.now(UTC),
                "action": action,
                "project_id": project_id,
                "tasks": [{"id": i, "version": v} for i, v in versions.items()],
                "actor": actor.subject,
                "actor_roles": sorted(actor.roles),
                "request_id": structlog.contextvars.get_contextvars().get("request_id"),
            }
        )
        # A finished intent (written, or refused: nothing written) is deleted in a batch by
        # the next `recover`, which spares each write a round trip and never fails a write
        # that is done; one a crash leaves behind is repaired, which changes nothing.
        try:
            yield
        except HTTPException:
            self._done.append(intent_id)
            raise
        self._done.append(intent_id)

    async def _forget_finished(self) -> None:
        done, self._done = self._done, []
        try:
            await self._intents.delete_many({"_id": {"$in": done}})
        except BaseException:
            self._done.extend(done)
            raise

    async def recover(self, older_than: timedelta) -> int:
        """Repairs the writes interrupted more than `older_than` ago; returns how many."""
        if self._done:
            await self._forget_finished()
        cutoff = datetime.now(UTC) - older_than
        interrupted = await self._intents.find({"at": {"$lt": cutoff}}).to_list()
        for intent in interrupted:
            await self._repair(intent, cutoff)
        for project_id in {intent["project_id"] for intent in interrupted}:
            await self._rollups.rebuild(project_id)
        await self._intents.delete_many({"_id": {"$in": [i["_id"] for i in interrupted]}})
        if interrupted:
            log.warning("repaired interrupted task writes", writes=len(interrupted))
        return len(interrupted)

    async def _repair(self, intent: dict[str, Any], cutoff: datetime) -> None:
        tasks = Task.get_pymongo_collection()
        for item in intent["tasks"]:
            stored = await tasks.find_one({"_id": item["id"]})
            if stored is None:
                if intent["action"] == DELETED:
                    await _audit_deletion(intent, item["id"])
                continue
            if item["version"] is not None and stored["version"] == item["version"]:
                await self._claims.release_older(TASK, {item["id"]: item["version"]}, cutoff)
            await _audit_current(intent, Task.model_validate(stored))


def _entry(intent: dict[str, Any], action: str, target_id: Any, **states: Any) -> audit.AuditEntry:
    return audit.AuditEntry(
        actor=intent["actor"],
        actor_roles=intent["actor_roles"],
        action=action,
        target_type="task",
        target_id=str(target_id),
        project_id=str(intent["project_id"]),
        request_id=intent["request_id"],
        **states,
    )


async def _audit_current(intent: dict[str, Any], task: Task) -> None:
    entries = audit.AuditEntry.get_pymongo_collection()
    query = {"target_type": "task", "target_id": str(task.id), "after.version": task.version}
    if await entries.find_one(query, {"_id": 1}) is not None:
        return
    action = CREATED if task.version == 1 else UPDATED
    after = task_out(task).model_dump(mode="json")
    await _entry(intent, action, task.id, before=None, after=after).insert()


async def _audit_deletion(intent: dict[str, Any], task_id: Any) -> None:
    entries = audit.AuditEntry.get_pymongo_collection()
    query = {"target_type": "task", "target_id": str(task_id), "action": DELETED}
    if await entries.find_one(query, {"_id": 1}) is None:
        await _entry(intent, DELETED, task_id, before=None, after=None).insert()
