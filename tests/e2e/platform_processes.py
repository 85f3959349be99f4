"""Starts the whole platform the way `make run` does (the same `python -m` commands and
environment variables), on free ports and in databases of its own, for browser tests."""

import base64
import email
import email.policy
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from conftest import free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
# Every mfe-<name>/ folder whose package.json has a "fragment" block, as make run finds them.
FRAGMENTS = tuple(
    package.parent.name.removeprefix("mfe-")
    for package in sorted(ROOT.glob("mfe-*/package.json"))
    if "fragment" in json.loads(package.read_text())
)
DIST = {name: ROOT / f"mfe-{name}" / "dist" for name in ("shell", *FRAGMENTS)}
# Fragments the tests generate (test_new_fragment.py): served by the platform's fragment host
# like the checkout's mfe-*/ folders, found only by it (not an mfe-*/ folder of the root).
GENERATED_FRAGMENTS = ROOT / ".local" / "e2e-fragments"


E2E_RATE_LIMITS = [{"group": "api", "paths": ["/api/*"], "per_client": "60000/minute"}]


def integrity_of(path: Path) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(path.read_bytes()).digest()).decode()


@dataclass
class Platform:
    url: str
    outbox: Path
    fragment_dirs: dict[str, Path]
    # The one fragment host's origin, and each fragment's base URL on it (/fragments/<name>).
    fragments_origin: str
    fragment_urls: dict[str, str]
    env: dict[str, str]
    logs: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def api(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=15.0)

    def cli(self, *args: str, **env: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "auth_service.cli", *args],
            env=self.env | env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"auth_service.cli {args[0]} failed: {result.stderr or result.stdout}"
            )
        return result.stdout

    def mail_to(self, address: str, timeout_s: float = 15.0) -> str:
        """The plain-text body of the newest mail the sink received for `address`."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            index = self.outbox / "index.json"
            entries = json.loads(index.read_text()) if index.exists() else []
            for entry in reversed(entries):
                if address in entry["to"]:
                    raw = (self.outbox / entry["file"]).read_bytes()
                    message = email.message_from_bytes(raw, policy=email.policy.default)
                    body = message.get_body(preferencelist=("plain",))
                    return str(body.get_content()) if body else ""
            time.sleep(0.2)
        raise TimeoutError(f"no mail to {address} after {timeout_s}s")

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


def _require_builds() -> None:
    for dist in DIST.values():
        if not dist.exists():
            raise RuntimeError(f"{dist} is missing: build the frontends first (make setup)")


def start_platform(mongodb_uri: str, workdir: Path) -> Platform:
    """Starts auth, core-api, the gateway and the static hosts; waits until ready."""
    _require_builds()
    ports = {
        name: free_port() for name in ("auth", "core", "gateway", "shell", "fragments", "smtp")
    }
    fragments_origin = f"http://127.0.0.1:{ports['fragments']}"
    # The fragment host serves copies, so tests can publish new versions without touching dist/.
    workspace = workdir / "workspace"
    fragment_dirs = {name: workspace / f"mfe-{name}" / "dist" for name in FRAGMENTS}
    for name, folder in fragment_dirs.items():
        shutil.copytree(DIST[name], folder)
        shutil.copy(ROOT / f"mfe-{name}" / "package.json", folder.parent)
    run_id = uuid.uuid4().hex[:10]
    env = {
        **os.environ,
        "MONGODB_URI": mongodb_uri,
        "AUTH_PORT": str(ports["auth"]),
        "AUTH_DATABASE": f"e2e_auth_{run_id}",
        "AUTH_KEYS_DIR": str(workdir / "keys"),
        "AUTH_SMTP_PORT": str(ports["smtp"]),
        "AUTH_PUBLIC_URL": f"http://127.0.0.1:{ports['gateway']}",
        "CORE_PORT": str(ports["core"]),
        "CORE_DATABASE": f"e2e_core_{run_id}",
        "CORE_JWKS_URL": f"http://127.0.0.1:{ports['auth']}/.well-known/jwks.json",
        "CORE_FRAGMENT_ALLOWED_ORIGINS": fragments_origin,
        "GATEWAY_PORT": str(ports["gateway"]),
        "GATEWAY_AUTH_URL": f"http://127.0.0.1:{ports['auth']}",
        "GATEWAY_CORE_URL": f"http://127.0.0.1:{ports['core']}",
        "GATEWAY_SHELL_URL": f"http://127.0.0.1:{ports['shell']}",
        # Where infra/scripts/publish-fragments.sh finds the fragment host.
        "FRAGMENTS_PORT": str(ports["fragments"]),
        "GATEWAY_SHELL_INDEX_TTL_S": "0",
        # Every browser and API test of the session signs up and in from 127.0.0.1; the
        # production limits per address (gateway/tests/test_limits.py) would refuse the suite.
        "GATEWAY_RATE_LIMITS": json.dumps(E2E_RATE_LIMITS),
    }
    logs = workdir / "logs"
    logs.mkdir()
    platform = Platform(
        url=f"http://127.0.0.1:{ports['gateway']}",
        outbox=workdir / "mail",
        fragment_dirs=fragment_dirs,
        fragments_origin=fragments_origin,
        fragment_urls={name: f"{fragments_origin}/fragments/{name}" for name in FRAGMENTS},
        env=env,
        logs=logs,
    )
    commands = {
        "mail": [
            str(ROOT / "infra/devtools/mailsink.py"),
            *(
                "--host",
                "127.0.0.1",
                "--port",
                str(ports["smtp"]),
                "--outbox",
                str(workdir / "mail"),
            ),
        ],
        "auth": ["-m", "auth_service"],
        "core": ["-m", "core_api"],
        "gateway": ["-m", "gateway"],
        "shell": _host("shell", ports["shell"], "--directory", DIST["shell"]),
        "fragments": _host(
            "fragments",
            ports["fragments"],
            *("--workspace", workspace, "--workspace", GENERATED_FRAGMENTS),
        ),
    }
    try:
        for name, args in commands.items():
            log = (logs / f"{name}.log").open("wb")
            platform.processes.append(
                subprocess.Popen([sys.executable, *args], env=env, cwd=ROOT, stdout=log, stderr=log)
            )
        for name in commands:
            wait_for_port("127.0.0.1", ports["smtp" if name == "mail" else name], timeout_s=60)
        _wait_ready(platform.url)
    except Exception:
        platform.stop()
        raise
    return platform


def _host(name: str, port: int, *serves: str | Path) -> list[str]:
    """The static host command `make run` uses (infra/Procfile), serving `serves`."""
    return [
        "-m",
        "platform_common.fragment_host",
        *("--name", name, "--port", str(port)),
        *(str(part) for part in serves),
    ]


def _wait_ready(url: str, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    last = ""
    while time.monotonic() < deadline:
        try:
            response = httpx.get(f"{url}/readyz", timeout=2.0)
            if response.status_code == 200:
                return
            last = response.text
        except httpx.HTTPError as error:
            last = repr(error)
        time.sleep(0.3)
    raise TimeoutError(f"the gateway is not ready after {timeout_s}s: {last}")
