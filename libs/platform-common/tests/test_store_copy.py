"""`make store-copy`: everything in one store arrives in another, exactly, and is checked."""

import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from bson import Int64, ObjectId
from bson.raw_bson import RawBSONDocument
from pymongo import ASCENDING, DESCENDING, MongoClient

from conftest import free_port, start_ferretdb
from platform_common.store_copy import EXIT_NOT_EMPTY, ServerStore, copy_all, main, verify


@contextmanager
def throwaway_ferretdb() -> Iterator[str]:
    """An embedded store of the test's own (the copy takes every database it holds)."""
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
    with throwaway_ferretdb() as uri:
        write_platform_data(uri)
        yield uri


@pytest.fixture
def target() -> Iterator[str]:
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


def snapshot(uri: str) -> dict[str, Any]:
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


def test_every_document_and_index_arrives_byte_for_byte(source, target, capsys):
    assert main([source, target]) == 0

    copied = snapshot(target)
    assert copied == snapshot(source)
    assert len(copied["farm_core.tasks"]["documents"]) == 1200
    assert copied["farm_core.empty"]["documents"] == {}
    assert ("email_unique", {"email": 1}, True) in copied["farm_auth.users"]["indexes"]
    assert "Copied 1,203 documents in 5 collections" in capsys.readouterr().err


def test_a_target_holding_documents_is_refused_and_left_alone(source, target, capsys):
    with MongoClient(target) as client:
        client.farm_core.tasks.insert_one({"_id": "theirs"})

    assert main([source, target]) == EXIT_NOT_EMPTY

    assert "already holds documents (farm_core.tasks)" in capsys.readouterr().err
    assert set(snapshot(target)) == {"farm_core.tasks"}
    assert snapshot(target)["farm_core.tasks"]["documents"].keys() == {"theirs"}


def test_force_replaces_the_copied_databases(source, target):
    assert main([source, target]) == 0
    with MongoClient(source) as client:
        client.farm_core.tasks.delete_one({"title": "Task 7 — ünïcode"})
        client.farm_auth.users.insert_one({"email": "grace@example.com"})
    with MongoClient(target) as client:
        client.farm_core.stray.insert_one({"left": "over"})

    assert main([source, target, "--force"]) == 0

    assert snapshot(target) == snapshot(source)


def test_verification_names_what_differs(source, target):
    source_store, target_store = ServerStore(source), ServerStore(target)
    report = copy_all(source_store, target_store)
    with MongoClient(target) as client:
        changed = client.farm_auth.users.find_one_and_update({}, {"$set": {"roles": ["member"]}})
        client.farm_core.projects.delete_many({})

    mismatches = verify(source_store, target_store, report)

    assert f"farm_auth.users _id={changed['_id']!r}: differs in roles" in mismatches
    assert "farm_core.projects: 1 documents in the source, 0 in the target" in mismatches


def test_index_options_the_target_lacks_are_reported_not_dropped_silently(target):
    store = ServerStore(target)
    store.create_collection("farm_core", "reports")
    ttl = {"name": "expires", "key": {"expires_at": 1}, "expireAfterSeconds": 0}
    partial = {
        "name": "open_titles",
        "key": {"title": 1},
        "partialFilterExpression": {"status": "todo"},
        "collation": {"locale": "en", "strength": 2},
    }

    assert store.create_index("farm_core", "reports", ttl) == (
        "farm_core.reports index expires created WITHOUT expireAfterSeconds "
        "(the target does not support it)"
    )
    assert "WITHOUT collation, partialFilterExpression" in str(
        store.create_index("farm_core", "reports", partial)
    )
    assert {i["name"] for i in store.indexes("farm_core", "reports")} == {"expires", "open_titles"}
