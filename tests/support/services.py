"""A platform service started as its own process (`python -m <module>`), the way `make run`
starts it, for tests that kill, restart or starve it."""

import subprocess
import sys
from pathlib import Path

from conftest import ROOT, wait_for_port


def start_service(
    module: str, env: dict[str, str], port: int, log: Path | None = None
) -> subprocess.Popen[bytes]:
    """Starts `python -m module` and waits until it listens on `port`. Its output goes to
    `log` (appended, so a restarted service keeps one file), else nowhere."""
    output = log.open("ab") if log else None
    target = output or subprocess.DEVNULL
    process = subprocess.Popen(
        [sys.executable, "-m", module], env=env, cwd=ROOT, stdout=target, stderr=target
    )
    if output:
        output.close()  # the child has its own copy
    wait_for_port("127.0.0.1", port, timeout_s=30)
    return process
