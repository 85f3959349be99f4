"""The production process model (infra/prod/gunicorn.sh + gunicorn.conf.py) as an operator
meets it: a reload (SIGHUP, `systemctl reload`) applies changed settings without refusing a
single request, and SIGTERM stops every process within the graceful timeout."""

import os
import signal
import subprocess
import threading
import time

import httpx
import pytest

from conftest import ROOT, free_port


def _allowed_hosts(hosts: str) -> str:
    return f'GATEWAY_ALLOWED_HOSTS=["127.0.0.1",{hosts}]\n'


@pytest.fixture
def gateway(tmp_path):
    env_file = tmp_path / "platform.env"
    env_file.write_text(_allowed_hosts('"old.example"'))
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}
    process = subprocess.Popen(
        [ROOT / "infra/prod/gunicorn.sh", "gateway"],
        env=env
        | {
            "PATH": f"{ROOT / '.venv/bin'}:{os.environ['PATH']}",
            "GATEWAY_PORT": str(port),
            "GATEWAY_WORKERS": "2",
            "GUNICORN_GRACEFUL_TIMEOUT": "5",
            "FARM_ENV_FILE": str(env_file),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    _wait_for(lambda: _status(url, "old.example") == 200, 60)
    yield process, url, env_file
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _status(url: str, host: str) -> int | None:
    try:
        return httpx.get(f"{url}/healthz", headers={"Host": host}, timeout=5).status_code
    except httpx.HTTPError:
        return None


def _wait_for(condition, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"not within {timeout_s}s")


def test_a_reload_applies_new_settings_without_refusing_a_request(gateway):
    process, url, env_file = gateway
    answers: list[int | None] = []
    stop = threading.Event()

    def keep_asking() -> None:
        while not stop.is_set():
            answers.append(_status(url, "127.0.0.1"))

    asker = threading.Thread(target=keep_asking)
    asker.start()
    env_file.write_text(_allowed_hosts('"new.example"'))
    process.send_signal(signal.SIGHUP)
    _wait_for(lambda: _status(url, "new.example") == 200, 60)
    time.sleep(1)  # the old workers are gone by now
    stop.set()
    asker.join()

    assert _status(url, "old.example") == 400
    assert len(answers) > 5  # requests kept coming all through the reload
    assert set(answers) == {200}


def test_sigterm_stops_every_worker_within_the_graceful_timeout(gateway):
    process, url, _ = gateway
    started = time.monotonic()

    process.send_signal(signal.SIGTERM)
    process.wait(timeout=15)

    assert time.monotonic() - started < 10
    assert _status(url, "127.0.0.1") is None
    with pytest.raises(ProcessLookupError):
        os.killpg(process.pid, 0)
