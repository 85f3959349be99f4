"""`make prod` (infra/prod/run.sh) started on free ports for a test, and the HTTP calls the
deployment tests make through it."""

import json
import os
import re
import signal
import subprocess
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import ROOT, free_port

READY_LINE = re.compile(r"Production mode is ready: open (https://\S+)/")
ADMIN_EMAIL = "operator@example.com"
ADMIN_PASSWORD = "correct horse battery staple"


def production_env(state: Path, mongodb_uri: str, **overrides: str) -> dict[str, str]:
    """Free ports, a state folder of the test's own, and databases dropped by the caller."""
    suffix = uuid.uuid4().hex[:10]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AUTH_", "CORE_", "GATEWAY_"))}
    return env | {
        "MONGODB_URI": mongodb_uri,
        "AUTH_DATABASE": f"test_auth_{suffix}",
        "CORE_DATABASE": f"test_core_{suffix}",
        "PROD_STATE_DIR": str(state),
        "PROD_TLS_DIR": str(state / "tls"),
        "PROD_HTTPS_PORT": str(free_port()),
        "PROD_HTTP_PORT": str(free_port()),
        "GATEWAY_PORT": str(free_port()),
        "AUTH_PORT": str(free_port()),
        "CORE_PORT": str(free_port()),
        "SHELL_PORT": str(free_port()),
        "REDIS_PORT": str(free_port()),
        **overrides,
    }


class ProductionPlatform:
    """The platform as `make prod` runs it, in its own process group (a terminal's job)."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.output: list[str] = []
        self.process = subprocess.Popen(
            ["infra/prod/run.sh"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        self.url = ""

    def wait_until_ready(self, timeout_s: float = 180) -> str:
        assert self.process.stdout is not None
        os.set_blocking(self.process.stdout.fileno(), False)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                if self.process.poll() is not None:
                    pytest.fail("make prod exited early:\n" + self.tail())
                time.sleep(0.1)
                continue
            self.output.append(line)
            if match := READY_LINE.search(line):
                self.url = match.group(1)
                return self.url
        pytest.fail(f"not ready after {timeout_s}s:\n" + self.tail())

    def read_available_output(self, settle_s: float = 1.0) -> None:
        """Collects what the processes printed since the last read (logs arrive a moment
        after the response)."""
        assert self.process.stdout is not None
        deadline = time.monotonic() + settle_s
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if line:
                self.output.append(line)
            else:
                time.sleep(0.05)

    def tail(self, lines: int = 60) -> str:
        """The last lines, after the first process that stopped and why (honcho then stops
        all the others, which would bury it)."""
        first_stop = next((i for i, line in enumerate(self.output) if "stopped (rc=" in line), None)
        cause = self.output[max(0, first_stop - 15) : first_stop + 1] if first_stop else []
        return "".join([*cause, "...\n", *self.output[-lines:]])

    def press_ctrl_c(self, timeout_s: float = 60) -> int:
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            return self.process.wait(timeout=timeout_s)
        finally:
            self.group_gone(10)

    def group_gone(self, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                os.killpg(self.process.pid, 0)
            except ProcessLookupError:
                return True
            time.sleep(0.2)
        os.killpg(self.process.pid, signal.SIGKILL)
        return False

    def create_admin(self) -> None:
        subprocess.run(
            [
                str(ROOT / ".venv/bin/python"),
                "-m",
                "auth_service.cli",
                "create-admin",
                "--email",
                ADMIN_EMAIL,
                "--password",
                ADMIN_PASSWORD,
            ],
            cwd=ROOT,
            env=self.env | {"AUTH_KEYS_DIR": str(Path(self.env["PROD_STATE_DIR"]) / "keys")},
            check=True,
            capture_output=True,
            timeout=60,
        )


def sign_in(client: httpx.Client, email: str = ADMIN_EMAIL, password: str = ADMIN_PASSWORD):
    return client.post(
        "/api/auth/jwt/login", data={"username": email, "password": password}, timeout=30
    )


def read_events(
    stream: httpx.Response,
    wanted: int,
    timeout_s: float,
    subscribed: threading.Event | None = None,
) -> list[dict[str, Any]]:
    """The next `wanted` SSE events (comments and heartbeats skipped). `subscribed` is set at
    the first line the server sends (a heartbeat at the latest): from then on the server is
    subscribed to the bus and no event can slip past."""
    events: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout_s
    current: dict[str, Any] = {}
    for line in stream.iter_lines():
        if subscribed is not None:
            subscribed.set()
        if time.monotonic() > deadline:
            break
        if line.startswith("event:"):
            current["event"] = line.split(":", 1)[1].strip()
        elif line.startswith("data:"):
            current["data"] = json.loads(line.split(":", 1)[1])
        elif line.startswith("id:"):
            current["id"] = line.split(":", 1)[1].strip()
        elif not line and "data" in current:
            events.append(current)
            current = {}
            if len(events) >= wanted:
                break
    return events
