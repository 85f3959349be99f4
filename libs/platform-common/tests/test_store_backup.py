"""`make backup` / `make restore`: a backup taken through the wire protocol puts back exactly
the state it saw, and a restore never starts on a damaged backup or without a yes."""

import json
import os
import socket
import subprocess
from pathlib import Path

import pytest
from pymongo import MongoClient

from conftest import ROOT, free_port
from platform_common.store_backup import LEFT_OUT, BackupError, backup, backup_plan, restore

SCRIPT = ROOT / "infra/scripts/store-data.sh"


def backed_up_part(snapshot: dict) -> dict:
    """What a backup keeps of a snapshot: all but the collections it leaves out."""
    return {name: state for name, state in snapshot.items() if name.split(".")[1] not in LEFT_OUT}


def change_everything(uri: str) -> None:
    with MongoClient(uri) as client:
        core = client.farm_core
        core.tasks.update_many(
            {"status": "done"}, {"$set": {"status": "todo"}, "$inc": {"version": 1}}
        )
        core.tasks.delete_many({"labels": "l1"})
        core.tasks.insert_one({"title": "written after the backup"})
        core.tasks.drop_index("project_id_1_title_1")
        core.projects.drop()
        core.after_backup.insert_one({"new": True})
        client.farm_auth.users.delete_many({})


def test_restore_brings_back_exactly_the_backed_up_state(source, snapshot, tmp_path):
    backed_up = backed_up_part(snapshot(source))
    path = backup(source, tmp_path)
    change_everything(source)
    assert snapshot(source) != backed_up

    assert restore(source, path, confirmed=True) == 0

    assert snapshot(source) == backed_up


def test_a_backup_is_a_timestamped_folder_with_counts_indexes_and_checksums(source, tmp_path):
    path = backup(source, tmp_path)

    assert [p.name for p in tmp_path.iterdir()] == [path.name]
    assert path.name.endswith("Z") and "partial" not in path.name
    manifest = json.loads((path / "manifest.json").read_text())
    tasks = manifest["collections"]["farm_core.tasks"]
    assert tasks["count"] == 1200
    assert len(tasks["sha256"]) == 64
    assert {i["name"] for i in tasks["indexes"]} == {
        "project_id_1_created_at_-1",
        "project_id_1_title_1",
    }
    assert manifest["documents"] == 1202  # not the version claim
    assert "farm_core.version_claims" not in manifest["collections"]
    # mongodump's directory layout, so mongorestore can load it into MongoDB as well.
    assert (path / "farm_core/tasks.bson").is_file()
    metadata = json.loads((path / "farm_core/tasks.metadata.json").read_text())
    assert metadata["collectionName"] == "tasks"


def test_a_damaged_backup_is_refused_before_anything_is_dropped(source, snapshot, tmp_path):
    path = backup(source, tmp_path)
    change_everything(source)
    changed = snapshot(source)
    damaged = path / "farm_core/tasks.bson"
    content = bytearray(damaged.read_bytes())
    content[len(content) // 2] ^= 0xFF
    damaged.write_bytes(bytes(content))

    with pytest.raises(BackupError, match=r"farm_core.tasks does not match its checksum"):
        restore(source, path, confirmed=True)

    assert snapshot(source) == changed


def test_restore_asks_first_and_changes_nothing_without_a_yes(source, snapshot, tmp_path):
    path = backup(source, tmp_path)
    change_everything(source)
    changed = snapshot(source)
    questions: list[str] = []

    def decline(question: str) -> str:
        questions.append(question)
        return "no"

    assert restore(source, path, confirmed=False, ask=decline) == 2

    assert "This DROPS farm_auth, farm_core there first" in questions[0]
    assert snapshot(source) == changed
    assert restore(source, path, confirmed=False, ask=lambda _: "restore") == 0


def run_script(command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # Ports nobody listens on, so a `make run` on this machine is not taken for ours.
    ports = {name: str(free_port()) for name in ("GATEWAY_PORT", "AUTH_PORT", "CORE_PORT")}
    return subprocess.run(
        [str(SCRIPT), command],
        env={**os.environ, **ports, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_make_backup_and_make_restore_round_trip(source, snapshot, tmp_path):
    backed_up = backed_up_part(snapshot(source))
    taken = run_script("backup", {"MONGODB_URI": source, "BACKUP_DIR": str(tmp_path)})
    assert taken.returncode == 0, taken.stderr
    path = Path(taken.stdout.strip().splitlines()[-1])
    change_everything(source)

    put_back = run_script("restore", {"MONGODB_URI": source, "BACKUP": str(path), "YES": "1"})

    assert put_back.returncode == 0, put_back.stderr
    assert snapshot(source) == backed_up


def test_make_restore_refuses_while_the_platform_answers(source, snapshot, tmp_path):
    path = backup(source, tmp_path)
    change_everything(source)
    changed = snapshot(source)
    with socket.create_server(("127.0.0.1", 0)) as gateway:
        port = str(gateway.getsockname()[1])
        refused = subprocess.run(
            [str(SCRIPT), "restore"],
            env={
                **os.environ,
                "GATEWAY_PORT": port,
                "MONGODB_URI": source,
                "BACKUP": str(path),
                "YES": "1",
            },
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert refused.returncode == 2
    assert f"the platform is running (gateway answers on 127.0.0.1:{port})" in refused.stderr
    assert snapshot(source) == changed


def test_a_backup_reads_tasks_then_intents_then_audit_and_leaves_out_statistics_and_claims():
    collections = ["audit", "fragments", "projects", "stats_days", "stats_projects", "tasks"]

    assert backup_plan([*collections, "version_claims", "write_intents"]) == [
        "tasks",
        "write_intents",
        "audit",
        "fragments",
        "projects",
    ]
    assert backup_plan(["users", "refresh_tokens"]) == ["refresh_tokens", "users"]
