"""`make run` as a person uses it: everything comes up, the URL is printed once the gateway is
ready, Ctrl-C stops every process, and the store's data survives a restart."""

import os
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest
from pymongo import MongoClient

from conftest import ROOT, free_port
from tests.support.terminal import TerminalJob

READY_LINE = re.compile(r"The platform is ready: open (http://\S+)/")
SIGN_IN_LINE = re.compile(r"Sign in as (\S+) with password (\S+) ")


def _ports() -> dict[str, str]:
    return {
        "FERRETDB_LISTEN_ADDR": f"127.0.0.1:{free_port()}",
        "AUTH_PORT": str(free_port()),
        "CORE_PORT": str(free_port()),
        "GATEWAY_PORT": str(free_port()),
        "SHELL_PORT": str(free_port()),
        "FRAGMENTS_PORT": str(free_port()),
        "MAIL_PORT": str(free_port()),
    }


class RunningPlatform(TerminalJob):
    def __init__(self, env: dict[str, str]) -> None:
        super().__init__(["infra/scripts/run.sh"], env)

    def wait_until_ready(self, timeout_s: float = 60) -> str:
        return self.wait_for_line(READY_LINE, timeout_s).group(1)


def _listening(port: str) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", int(port))) == 0


@pytest.fixture
def run_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "MONGODB_URI"}
    return env | _ports() | {"FERRETDB_DATA_DIR": str(tmp_path / "store")}


def test_make_run_serves_the_gateway_and_stops_cleanly_on_ctrl_c(run_env):
    platform = RunningPlatform(run_env)
    url = platform.wait_until_ready()
    assert url == f"http://127.0.0.1:{run_env['GATEWAY_PORT']}"
    readiness = httpx.get(f"{url}/readyz", timeout=5)
    assert readiness.status_code == 200
    assert readiness.json()["checks"]["store"] == {"status": "ok"}
    assert httpx.get(f"{url}/", timeout=5).headers["content-type"].startswith("text/html")
    email, password = platform.wait_for_line(SIGN_IN_LINE, timeout_s=30).groups()
    signed_in = httpx.post(
        f"{url}/api/auth/jwt/login", data={"username": email, "password": password}, timeout=10
    )
    assert signed_in.status_code == 200, signed_in.text
    assert (
        "admin"
        in httpx.get(
            f"{url}/api/auth/users/me",
            headers={"Authorization": f"Bearer {signed_in.json()['access_token']}"},
            timeout=10,
        ).json()["roles"]
    )

    platform.press_ctrl_c()

    deadline = time.monotonic() + 10
    while platform.group_alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not platform.group_alive(), "processes were left running after Ctrl-C"
    ports = [v.rsplit(":", 1)[-1] for k, v in run_env.items() if k.endswith(("_PORT", "_ADDR"))]
    assert not [port for port in ports if _listening(port)]


def test_the_stores_data_survives_a_restart(run_env):
    store_uri = f"mongodb://{run_env['FERRETDB_LISTEN_ADDR']}"
    first = RunningPlatform(run_env)
    first.wait_until_ready()
    with MongoClient(store_uri) as client:
        client.survival.notes.insert_one({"_id": "kept", "text": "still here"})
    first.press_ctrl_c()

    second = RunningPlatform(run_env)
    second.wait_until_ready()
    try:
        with MongoClient(store_uri) as client:
            assert client.survival.notes.find_one({"_id": "kept"}) == {
                "_id": "kept",
                "text": "still here",
            }
    finally:
        second.press_ctrl_c()


def test_a_taken_port_stops_run_with_one_clear_line(run_env):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", int(run_env["GATEWAY_PORT"])))
        squatter.listen()
        result = subprocess.run(
            ["infra/scripts/run.sh"],
            cwd=ROOT,
            env=run_env,
            capture_output=True,
            text=True,
            timeout=30,
        )
    assert result.returncode != 0
    assert f"port {run_env['GATEWAY_PORT']} (gateway)" in result.stderr
    assert "already in use" in result.stderr


def test_a_wiped_store_gets_its_demo_admin_and_fragments_back(run_env):
    first = RunningPlatform(run_env)
    first.wait_until_ready()
    first.wait_for_line(SIGN_IN_LINE, timeout_s=30)
    first.press_ctrl_c()
    shutil.rmtree(run_env["FERRETDB_DATA_DIR"])

    second = RunningPlatform(run_env)
    try:
        url = second.wait_until_ready()
        email, password = second.wait_for_line(SIGN_IN_LINE, timeout_s=30).groups()
        signed_in = httpx.post(
            f"{url}/api/auth/jwt/login", data={"username": email, "password": password}, timeout=10
        )
        assert signed_in.status_code == 200, signed_in.text
        manifest = httpx.get(
            f"{url}/api/core/fragments/manifest",
            headers={"Authorization": f"Bearer {signed_in.json()['access_token']}"},
            timeout=10,
        ).json()
        assert {fragment["name"] for fragment in manifest["fragments"]} == {
            "dashboard",
            "admin",
            "projects",
        }
        # Every fragment from the one fragment host, under its name, and it answers.
        fragments_url = f"http://127.0.0.1:{run_env['FRAGMENTS_PORT']}/fragments"
        for fragment in manifest["fragments"]:
            assert fragment["entry"].startswith(f"{fragments_url}/{fragment['name']}/")
            assert httpx.get(fragment["entry"], timeout=10).status_code == 200
        refusals = ("Publishing the fragments failed", "Creating the demo admin failed")
        assert not [line for line in second.output if any(refusal in line for refusal in refusals)]
    finally:
        second.press_ctrl_c()
