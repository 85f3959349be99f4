"""A script started the way a person starts it in a terminal: its own process group, its
output read line by line, stopped with Ctrl-C (SIGINT to the whole group)."""

import os
import re
import signal
import subprocess
import time

import pytest

from conftest import ROOT

TERMINAL_COLOURS = re.compile(r"\x1b\[[0-9;]*m")


class TerminalJob:
    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.env = env
        self.output: list[str] = []
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,  # its own process group, like a terminal's foreground job
        )
        assert self.process.stdout is not None
        os.set_blocking(self.process.stdout.fileno(), False)

    def wait_for_line(self, pattern: re.Pattern[str], timeout_s: float) -> re.Match[str]:
        """The first line (colours removed) matching `pattern`; fails the test on exit or timeout."""
        assert self.process.stdout is not None
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                if self.process.poll() is not None:
                    pytest.fail(f"{self.process.args[0]} exited early:\n" + self.tail())
                time.sleep(0.1)
                continue
            self.output.append(line)
            if match := pattern.search(TERMINAL_COLOURS.sub("", line)):
                return match
        pytest.fail(f"no line like {pattern.pattern} after {timeout_s}s:\n" + self.tail())

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

    def press_ctrl_c(self, timeout_s: float = 20) -> int:
        os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(timeout=timeout_s)

    def group_alive(self) -> bool:
        try:
            os.killpg(self.process.pid, 0)
        except ProcessLookupError:
            return False
        return True

    def group_gone(self, timeout_s: float) -> bool:
        """Waits for every process of the group to end; kills what is left after the wait."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if not self.group_alive():
                return True
            time.sleep(0.2)
        os.killpg(self.process.pid, signal.SIGKILL)
        return False
