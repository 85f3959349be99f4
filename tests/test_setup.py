"""Setup stops with one clear line when a toolchain it needs is missing."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


def _path_with_only(tools: list[str], tmp_path: Path) -> str:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in tools:
        # python3 may be a pyenv shim (a script); link the interpreter running the tests.
        target = sys.executable if tool == "python3" else shutil.which(tool)
        (bin_dir / tool).symlink_to(target)
    return str(bin_dir)


def _setup(path: str, keep_mongodb_uri: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if keep_mongodb_uri or k != "MONGODB_URI"}
    env["PATH"] = path
    return subprocess.run(
        ["/bin/bash", "infra/scripts/setup.sh", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


BASICS = ["bash", "python3", "dirname", "mkdir", "id"]


@pytest.mark.parametrize(
    ("present", "expected"),
    [
        (BASICS, "node not found: install Node.js 20+"),
        ([*BASICS, "node", "npm"], "go not found: install Go"),
    ],
)
def test_a_missing_toolchain_is_named_with_how_to_get_it(tmp_path, present, expected):
    result = _setup(_path_with_only(present, tmp_path))
    assert result.returncode == 1
    errors = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(errors) == 1 and expected in errors[0]


def test_go_is_not_needed_with_an_external_mongodb(tmp_path, monkeypatch):
    monkeypatch.setenv("MONGODB_URI", "mongodb://db.invalid:27017")
    result = _setup(_path_with_only([*BASICS, "node", "npm"], tmp_path), keep_mongodb_uri=True)
    assert result.returncode == 0, result.stderr
    assert "Toolchains present" in result.stdout
