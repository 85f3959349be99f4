"""Writes survive crashes: a burst of task creates, If-Match edits and bulk status changes
runs through a real core-api process while the store (then core-api itself) is killed with
SIGKILL and started again on the same data. Afterwards every write the client saw
acknowledged is there, nothing half-written is visible (every task has the audit entry of
its current version, no version claim refuses the next edit) and the statistics equal a
recount.
"""

import io
import os
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from bson import ObjectId
from pymongo import MongoClient

from conftest import free_port, start_ferretdb
from platform_common.store_backup import backup, restore
from tests.support.services import start_service

WORKERS = 4
WRITES_PER_WORKER = 60
KILL_AFTER_ACKNOWLEDGED = 80
# A bound for waiting on a process to come back or on recovery, not a speed requirement.
PATIENCE_S = 45.0


@dataclass
class Known:
    """What the client was told about a task; `uncertain` once a write to it went
    unanswered (it may or may not have landed)."""

    version: int
    title: str
    status: str
    uncertain: bool = False


@dataclass
class Ledger:
    tasks: dict[str, Known] = field(default_factory=dict)
    acknowledged: int = 0
    unanswered: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, updates: dict[str, Known]) -> None:
        with self.lock:
            self.tasks.update(updates)
            self.acknowledged += 1

    def lose(self, task_ids: list[str]) -> None:
        with self.lock:
            for task_id in task_ids:
                self.tasks[task_id].uncertain = True
            self.unanswered += 1

    def certain(self, task_ids: list[str]) -> list[str]:
        with self.lock:
            return [i for i in task_ids if not self.tasks[i].uncertain]


@dataclass
class Crashable:
    """A core-api process on a FerretDB process the test controls."""

    core_url: str
    store_uri: str
    database: str
    restart_store: Callable[[], None]
    restart_core: Callable[[], None]
    store: subprocess.Popen[bytes]
    core: subprocess.Popen[bytes]
    log: Path

    def repairs_logged(self) -> int:
        return self.log.read_text().count("repaired interrupted task writes")


@pytest.fixture
def crashable(tmp_path: Path, token_issuer) -> Iterator[Crashable]:
    store_port, core_port = free_port(), free_port()
    data_dir = tmp_path / "store"
    env = os.environ | {
        "MONGODB_URI": f"mongodb://127.0.0.1:{store_port}",
        "CORE_PORT": str(core_port),
        "CORE_DATABASE": "crash_core",
        "CORE_JWKS_URL": token_issuer.jwks_url,
        # Writes interrupted longer ago than this are repaired: short, so the test is quick.
        "CORE_RECOVERY_AFTER_S": "2",
        "CORE_RECOVERY_INTERVAL_S": "0.5",
    }
    log = tmp_path / "core-api.log"
    setup = Crashable(
        core_url=f"http://127.0.0.1:{core_port}",
        store_uri=env["MONGODB_URI"],
        database="crash_core",
        restart_store=lambda: None,
        restart_core=lambda: None,
        store=start_ferretdb(data_dir, store_port),
        core=start_service("core_api", env, core_port, log),
        log=log,
    )

    def restart_store() -> None:
        setup.store = start_ferretdb(data_dir, store_port)

    def restart_core() -> None:
        setup.core = start_service("core_api", env, core_port, log)

    setup.restart_store, setup.restart_core = restart_store, restart_core
    wait_until_ready(setup.core_url)
    yield setup
    for process in (setup.core, setup.store):
        process.terminate()
        process.wait(timeout=15)


def wait_until_ready(core_url: str) -> None:
    deadline = time.monotonic() + PATIENCE_S
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{core_url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"core-api is not ready after {PATIENCE_S}s")


class Writer:
    """One client: creates tasks, edits its own with If-Match, changes their status in bulk."""

    def __init__(self, number: int, api: httpx.Client, project_id: str, ledger: Ledger) -> None:
        self.number, self.api, self.project_id, self.ledger = number, api, project_id, ledger
        self.own: list[str] = []

    def run(self, writes: int) -> None:
        for n in range(writes):
            certain = self.ledger.certain(self.own)
            step = (self.create, self.edit, self.bulk)[n % 3] if certain else self.create
            step(n, certain)

    def _send(self, touched: list[str], request: Callable[[], httpx.Response]) -> Any:
        try:
            response = request()
        except httpx.HTTPError:
            response = None
        if response is None or response.status_code >= 300:
            self.ledger.lose(touched)
            time.sleep(0.2)  # a dead peer answers at once: leave writes for after it is back
            return None
        return response.json()

    def create(self, n: int, _: list[str]) -> None:
        title = f"writer {self.number} task {n}"
        path = f"/projects/{self.project_id}/tasks"
        task = self._send([], lambda: self.api.post(path, json={"title": title}))
        if task:
            self.own.append(task["id"])
            self.ledger.record({task["id"]: Known(task["version"], title, task["status"])})

    def edit(self, n: int, certain: list[str]) -> None:
        task_id = certain[n % len(certain)]
        known = self.ledger.tasks[task_id]
        title = f"writer {self.number} edit {n}"
        task = self._send(
            [task_id],
            lambda: self.api.patch(
                f"/tasks/{task_id}",
                json={"title": title},
                headers={"If-Match": f'"{known.version}"'},
            ),
        )
        if task:
            self.ledger.record({task_id: Known(task["version"], title, task["status"])})

    def bulk(self, n: int, certain: list[str]) -> None:
        known = {i: self.ledger.tasks[i] for i in certain}
        todo = [i for i, k in known.items() if k.status == "todo"]
        chosen, status = (todo, "in_progress") if todo else (list(known), "todo")
        chosen = chosen[:4]
        body = {
            "ids": chosen,
            "status": status,
            "expected_versions": {i: known[i].version for i in chosen},
        }
        path = f"/projects/{self.project_id}/tasks:bulk"
        if self._send(chosen, lambda: self.api.post(path, json=body)):
            self.ledger.record(
                {i: Known(known[i].version + 1, known[i].title, status) for i in chosen}
            )


def burst(setup: Crashable, token: str, interruption: Callable[[], None]) -> tuple[str, Ledger]:
    """Runs the writers; `interruption` runs once KILL_AFTER_ACKNOWLEDGED writes were
    acknowledged, while they go on writing."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=setup.core_url, headers=headers, timeout=10) as api:
        project = api.post("/projects", json={"name": "Crash", "key": "CRASH"}).json()
    ledger = Ledger()
    clients = [
        httpx.Client(base_url=setup.core_url, headers=headers, timeout=10) for _ in range(WORKERS)
    ]
    writers = [Writer(n, clients[n], project["id"], ledger) for n in range(WORKERS)]
    with ThreadPoolExecutor(WORKERS) as pool:
        running = [pool.submit(w.run, WRITES_PER_WORKER) for w in writers]
        deadline = time.monotonic() + PATIENCE_S
        while ledger.acknowledged < KILL_AFTER_ACKNOWLEDGED and time.monotonic() < deadline:
            time.sleep(0.01)
        interruption()
        for outcome in running:
            outcome.result()
    for client in clients:
        client.close()
    return project["id"], ledger


def kill_and_restart(
    process: Callable[[], subprocess.Popen[bytes]], restart: Callable[[], None]
) -> Callable[[], None]:
    def interruption() -> None:
        sigkill(process())
        # Longer than core-api waits for a store (1 s), so the requests in flight fail
        # half-way through their steps instead of waiting for it to come back.
        time.sleep(1.5)
        restart()

    return interruption


def wait_for_recovery(setup: Crashable) -> float:
    """Waits until core-api answers and has repaired every interrupted write; returns how
    long that took."""
    started = time.monotonic()
    wait_until_ready(setup.core_url)
    with MongoClient(setup.store_uri) as client:
        intents = client[setup.database]["write_intents"]
        while intents.count_documents({}) and time.monotonic() - started < PATIENCE_S:
            time.sleep(0.1)
        assert intents.count_documents({}) == 0, "interrupted writes are still unrepaired"
    return time.monotonic() - started


def check_nothing_lost(setup: Crashable, ledger: Ledger, token: str) -> None:
    """Every acknowledged write is there (an unanswered one may have landed too)."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=setup.core_url, headers=headers, timeout=10) as api:
        for task_id, known in ledger.tasks.items():
            task = api.get(f"/tasks/{task_id}").json()
            if known.uncertain:
                assert task["version"] in (known.version, known.version + 1), task
            else:
                assert (task["version"], task["title"], task["status"]) == (
                    known.version,
                    known.title,
                    known.status,
                ), task


def check_nothing_half_written(
    setup: Crashable, project_id: str, token: str, admin_token: str
) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=setup.core_url, headers=headers, timeout=10) as api:
        # Every task has the audit entry of its current version.
        with MongoClient(setup.store_uri) as client:
            database = client[setup.database]
            stored = list(database.tasks.find({"project_id": ObjectId(project_id)}))
            audited = {
                (entry["target_id"], entry["after"]["version"])
                for entry in database.audit.find({"target_type": "task", "after": {"$ne": None}})
            }
        unaudited = [str(t["_id"]) for t in stored if (str(t["_id"]), t["version"]) not in audited]
        assert unaudited == []

        # The statistics are a recount of the tasks.
        stats = api.get("/stats", params={"project": project_id}).json()
        counted = {status: n for status, n in stats["by_status"].items() if n}
        assert counted == dict(Counter(t["status"] for t in stored))
        rebuilt = api.post("/stats/rebuild", headers={"Authorization": f"Bearer {admin_token}"})
        assert rebuilt.status_code == 200, rebuilt.text
        assert api.get("/stats", params={"project": project_id}).json() == stats

        # No version claim is left stuck: the next edit of every task goes through.
        def edit(task: dict[str, Any]) -> int:
            return api.patch(
                f"/tasks/{task['_id']}",
                json={"description": "after the crash"},
                headers={"If-Match": f'"{task["version"]}"'},
            ).status_code

        with ThreadPoolExecutor(WORKERS) as pool:
            assert Counter(pool.map(edit, stored)) == {200: len(stored)}


def sigkill(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


def test_acknowledged_writes_survive_the_store_being_killed(crashable, token_issuer):
    token = token_issuer.mint("crash-writer", ["member"])
    interruption = kill_and_restart(lambda: crashable.store, crashable.restart_store)
    project_id, ledger = burst(crashable, token, interruption)
    assert ledger.unanswered > 0, "the kill interrupted nothing: the test proves nothing"
    took = wait_for_recovery(crashable)
    print(
        f"store killed: {ledger.acknowledged} acknowledged, {ledger.unanswered} unanswered, "
        f"{crashable.repairs_logged()} repair rounds, done {took:.1f}s after the burst"
    )
    check_nothing_lost(crashable, ledger, token)
    admin = token_issuer.mint("crash-admin", ["admin"])
    check_nothing_half_written(crashable, project_id, token, admin)


def test_acknowledged_writes_survive_core_api_being_killed(crashable, token_issuer):
    token = token_issuer.mint("crash-writer", ["member"])
    interruption = kill_and_restart(lambda: crashable.core, crashable.restart_core)
    project_id, ledger = burst(crashable, token, interruption)
    assert ledger.unanswered > 0, "the kill interrupted nothing: the test proves nothing"
    took = wait_for_recovery(crashable)
    print(
        f"core-api killed: {ledger.acknowledged} acknowledged, {ledger.unanswered} unanswered, "
        f"{crashable.repairs_logged()} repair rounds, done {took:.1f}s after the burst"
    )
    check_nothing_lost(crashable, ledger, token)
    admin = token_issuer.mint("crash-admin", ["admin"])
    check_nothing_half_written(crashable, project_id, token, admin)


def test_a_backup_taken_during_a_burst_restores_to_a_whole_state(crashable, token_issuer, tmp_path):
    """`make backup` while tasks are being written, `make restore` of it: once core-api has
    started on the restored data, nothing in it is half-written."""
    token = token_issuer.mint("crash-writer", ["member"])
    taken: list[Path] = []
    project_id, ledger = burst(
        crashable, token, lambda: taken.append(backup(crashable.store_uri, tmp_path, io.StringIO()))
    )
    crashable.core.terminate()
    crashable.core.wait(timeout=15)
    assert restore(crashable.store_uri, taken[0], confirmed=True, out=io.StringIO()) == 0
    with MongoClient(crashable.store_uri) as client:
        restored = client[crashable.database].tasks.count_documents({})
    assert 0 < restored < len(ledger.tasks), "the backup did not run during the burst"

    crashable.restart_core()
    took = wait_for_recovery(crashable)
    print(f"restored {restored} of {len(ledger.tasks)} tasks, whole again {took:.1f}s after start")
    admin = token_issuer.mint("crash-admin", ["admin"])
    check_nothing_half_written(crashable, project_id, token, admin)
