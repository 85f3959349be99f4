"""The production process model (infra/prod/gunicorn.sh + gunicorn.conf.py) as an operator
meets it: a reload (SIGHUP, `systemctl reload`) applies changed settings; two instances
behind nginx reloaded one after the other refuse no request; SIGTERM stops every process
within the graceful timeout; the gateway's workers close a connection whose request head
stalls (slowloris)."""

import os
import signal
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from conftest import ROOT, free_port
from tests.deploy.helpers import render_nginx_for_gateways


def _allowed_hosts(hosts: str) -> str:
    return f'GATEWAY_ALLOWED_HOSTS=["127.0.0.1",{hosts}]\n'


class Gateway:
    def __init__(self, env_file: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}
        self.process = subprocess.Popen(
            [ROOT / "infra/prod/gunicorn.sh", "gateway"],
            env=env
            | {
                "PATH": f"{ROOT / '.venv/bin'}:{os.environ['PATH']}",
                "GATEWAY_PORT": str(self.port),
                "GATEWAY_WORKERS": "2",
                "GUNICORN_GRACEFUL_TIMEOUT": "5",
                "FARM_ENV_FILE": str(env_file),
            },
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        _wait_for(lambda: _status(self.url, "old.example") == 200, 60)

    def reload(self) -> None:
        self.process.send_signal(signal.SIGHUP)
        _wait_for(lambda: _status(self.url, "new.example") == 200, 60)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


@pytest.fixture
def env_file(tmp_path) -> Path:
    path = tmp_path / "platform.env"
    path.write_text(_allowed_hosts('"old.example"'))
    return path


@pytest.fixture
def gateways(env_file) -> Iterator[Callable[[], Gateway]]:
    started: list[Gateway] = []

    def start() -> Gateway:
        started.append(Gateway(env_file))
        return started[-1]

    yield start
    for gateway in started:
        gateway.stop()


def _status(url: str, host: str, client: httpx.Client | None = None) -> int | None:
    try:
        getter = client.get if client else httpx.get
        return getter(f"{url}/healthz", headers={"Host": host}, timeout=30).status_code
    except httpx.HTTPError:
        return None


def _wait_for(condition: Callable[[], bool], timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"not within {timeout_s}s")


def test_a_reload_applies_the_env_files_new_settings(gateways, env_file):
    gateway = gateways()

    env_file.write_text(_allowed_hosts('"new.example"'))
    gateway.reload()

    assert _status(gateway.url, "new.example") == 200
    _wait_for(lambda: _status(gateway.url, "old.example") == 400, 30)


def test_two_instances_reloaded_in_turn_behind_nginx_refuse_no_request(
    gateways, env_file, tmp_path, tls_dir, run_nginx
):
    first, second = gateways(), gateways()
    https_port = free_port()
    gateway_addresses = [f"127.0.0.1:{first.port}", f"127.0.0.1:{second.port}"]
    config = render_nginx_for_gateways(tmp_path / "nginx", tls_dir, https_port, gateway_addresses)
    run_nginx(config, https_port)
    edge = f"https://127.0.0.1:{https_port}"
    trust = ssl.create_default_context(cafile=tls_dir / "dev-cert.pem")
    answers: list[int | None] = []
    stop = threading.Event()

    def keep_asking() -> None:
        with httpx.Client(verify=trust) as client:
            while not stop.is_set():
                answers.append(_status(edge, "127.0.0.1", client))

    asker = threading.Thread(target=keep_asking)
    asker.start()
    env_file.write_text(_allowed_hosts('"new.example"'))
    first.reload()
    second.reload()
    time.sleep(1)
    stop.set()
    asker.join()

    assert len(answers) > 5  # requests kept coming all through both reloads
    assert set(answers) == {200}


def test_sigterm_stops_every_worker_within_the_graceful_timeout(gateways):
    gateway = gateways()
    started = time.monotonic()

    gateway.process.send_signal(signal.SIGTERM)
    gateway.process.wait(timeout=15)

    assert time.monotonic() - started < 10
    assert _status(gateway.url, "127.0.0.1") is None
    with pytest.raises(ProcessLookupError):
        os.killpg(gateway.process.pid, 0)


def test_the_gateway_closes_a_connection_whose_request_head_stalls(gateways):
    gateway = gateways()

    with socket.create_connection(("127.0.0.1", gateway.port), timeout=20) as slow:
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # the head never ends
        started = time.monotonic()
        closed_with = slow.recv(1024)
        waited = time.monotonic() - started

    assert closed_with == b""  # closed without an answer
    assert 9 < waited < 15  # the 10 s head deadline, not some other timeout
    assert _status(gateway.url, "127.0.0.1") == 200


def test_the_fragment_host_serves_uploads_of_any_fragment_in_production_without_maps(tmp_path):
    """`gunicorn.sh fragments`, as in the fragments image: every fragment uploaded under
    FRAGMENTS_ROOT is served under /fragments/<name>/, one uploaded after the start too, and
    source maps are refused (production by default)."""
    root = tmp_path / "uploads"
    (root / "reports" / "1.0.0").mkdir(parents=True)
    (root / "reports" / "1.0.0" / "entry.js").write_text("export function mount() {}\n")
    (root / "reports" / "1.0.0" / "entry.js.map").write_text("{}")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("FRAGMENT_HOST_")}
    process = subprocess.Popen(
        [ROOT / "infra/prod/gunicorn.sh", "fragments"],
        env=env
        | {
            "PATH": f"{ROOT / '.venv/bin'}:{os.environ['PATH']}",
            "FRAGMENTS_PORT": str(port),
            "FRAGMENTS_ROOT": str(root),
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/fragments"
    try:
        _wait_for(lambda: _status(f"http://127.0.0.1:{port}", "127.0.0.1") == 200, 60)
        uploaded = httpx.get(f"{url}/reports/1.0.0/entry.js", timeout=5)
        (root / "later" / "2.0.0").mkdir(parents=True)
        (root / "later" / "2.0.0" / "entry.js").write_text("export function mount() {}\n")

        later = httpx.get(f"{url}/later/2.0.0/entry.js", timeout=5)
        source_map = httpx.get(f"{url}/reports/1.0.0/entry.js.map", timeout=5)
    finally:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    assert uploaded.status_code == 200
    assert later.status_code == 200
    assert later.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert source_map.status_code == 404
