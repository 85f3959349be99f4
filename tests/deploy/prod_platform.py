"""`make prod` (infra/prod/run.sh) started on free ports for a test, and the HTTP calls the
deployment tests make through it."""

import json
import os
import re
import subprocess
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from conftest import ROOT, free_port
from tests.support.terminal import TerminalJob

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


class ProductionPlatform(TerminalJob):
    """The platform as `make prod` runs it, in its own process group (a terminal's job)."""

    def __init__(self, env: dict[str, str]) -> None:
        super().__init__(["infra/prod/run.sh"], env)
        self.url = ""

    def wait_until_ready(self, timeout_s: float = 180) -> str:
        self.url = self.wait_for_line(READY_LINE, timeout_s).group(1)
        return self.url

    def press_ctrl_c(self, timeout_s: float = 60) -> int:
        try:
            return super().press_ctrl_c(timeout_s)
        finally:
            self.group_gone(10)

    def create_admin(self) -> None:
        subprocess.run(
            [
                str(ROOT / ".venv/bin/python"),
                "-m",
                "auth_service.cli",
                "create-admin",
                "--email",
                ADMIN_EMAIL,
            ],
            cwd=ROOT,
            env=self.env
            | {
                "AUTH_KEYS_DIR": str(Path(self.env["PROD_STATE_DIR"]) / "keys"),
                "AUTH_ADMIN_PASSWORD": ADMIN_PASSWORD,
            },
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
