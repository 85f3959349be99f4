"""Smoke test of this fragment in Chromium: `npm run dev` serves it mounted with a stand-in
context (index.html, dev/harness.ts), and its page shows the heading with its name.

Run from the repository root: .venv/bin/pytest mfe-<name>/tests"""

import json
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

FRAGMENT = Path(__file__).resolve().parents[1]
NAME = json.loads((FRAGMENT / "package.json").read_text())["fragment"]["name"]
CHROMIUM = "/usr/bin/chromium"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


@pytest.fixture
def dev_server() -> Iterator[str]:
    port = _free_port()
    server = subprocess.Popen(
        ["npx", "vite", "--host", "127.0.0.1", "--port", str(port), "--strictPort"],
        cwd=FRAGMENT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while not _listening(port):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the Vite dev server did not start")
            time.sleep(0.2)
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_page_shows_the_fragment_name(dev_server: str) -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(dev_server)
        expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
        browser.close()
    assert errors == []
