"""Stores of a test's own for the copy, backup and restore tests: they take every database a
store holds, so they cannot share the session's store with other tests."""

import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from bson import Int64, ObjectId
from bson.raw_bson import RawBSONDocument
from pymongo import ASCENDING, DESCENDING, MongoClient

from conftest import free_port, start_ferretdb

Snapshot = dict[str, dict[str, Any]]


@contextmanager
def throwaway_ferretdb() -> Iterator[str]:
    data_dir = Path(tempfile.mkdtemp(prefix="farm-copy-store-"))
    port = free_port()
    process: subprocess.Popen[bytes] = start_ferretdb(data_dir, port)
    try:
        yield f"mongodb://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture
def source() -> Iterator[str]:
    """A store holding data shaped like the platform's."""
    with throwaway_ferretdb() as uri:
        write_platform_data(uri)
        yield uri


@pytest.fixture
def target() -> Iterator[str]:
    """An empty store."""
    with throwaway_ferretdb() as uri:
        yield uri


def write_platform_data(uri: str) -> None:
    """Documents shaped like the services' own: ObjectIds, dates, nested arrays, int64,
    unique and compound indexes, in two databases."""
    created = datetime(2026, 3, 1, 9, 30, 15, 123000, tzinfo=UTC)
    with MongoClient(uri) as client:
        core = client["farm_core"]
        project_id = ObjectId()
        core.projects.insert_one(
            {"_id": project_id, "name": "Apollo", "member_ids": ["u1", "u2"], "version": 3}
        )
        core.tasks.insert_many(
            [
                {
                    "_id": ObjectId(),
                    "project_id": project_id,
                    "title": f"Task {n} — ünïcode",
                    "status": ["todo", "done"][n % 2],
                    "labels": [f"l{n % 3}", "all"],
                    "checklist": [{"item": "a", "done": n % 2 == 0, "at": created}],
                    "created_at": created + timedelta(minutes=n),
                    "due_at": None,
                    "cycle_time_s": Int64(n * 1_000_000_000),
                    "version": 1,
                }
                for n in range(1200)
            ]
        )
        core.tasks.create_index([("project_id", ASCENDING), ("created_at", DESCENDING)])
        core.tasks.create_index([("project_id", ASCENDING), ("title", ASCENDING)], unique=True)
        core.version_claims.insert_one({"_id": f"task:{project_id}:1", "at": created})
        core.create_collection("empty")
        auth = client["farm_auth"]
        auth.users.insert_one({"_id": ObjectId(), "email": "ada@example.com", "roles": ["admin"]})
        auth.users.create_index("email", unique=True, name="email_unique")


def take_snapshot(uri: str) -> Snapshot:
    """Every user database's collections: raw documents by _id, and index definitions."""
    with MongoClient(uri, document_class=RawBSONDocument) as client:
        return {
            f"{database}.{name}": {
                "documents": {d["_id"]: d.raw for d in client[database][name].find()},
                "indexes": sorted(
                    (i["name"], dict(i["key"]), bool(i.get("unique")))
                    for i in client[database][name].list_indexes()
                ),
            }
            for database in client.list_database_names()
            if database not in ("admin", "local", "config")
            for name in client[database].list_collection_names()
        }


@pytest.fixture
def snapshot() -> Callable[[str], Snapshot]:
    return take_snapshot
