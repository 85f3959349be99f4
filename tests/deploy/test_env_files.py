"""Every variable an operator sets in the shipped environment files is one a process reads: a
misspelt name would be ignored silently and the default would run in production."""

import re
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

ASSIGNMENT = re.compile(r"^([A-Z][A-Z0-9_]*)=", re.MULTILINE)
# Read by MongoDB's own clients and the embedded store, not by a settings class.
ALSO_READ = {"MONGODB_URI"}


def known_variables() -> set[str]:
    result = subprocess.run(
        [ROOT / ".venv/bin/python", ROOT / "infra/prod/settings_reference.py", "--names"],
        capture_output=True,
        text=True,
        check=True,
    )
    return set(result.stdout.split()) | ALSO_READ


def env_files() -> list[Path]:
    return sorted([ROOT / "infra/prod/platform.env.example", *ROOT.glob("infra/docker/*.env*")])


@pytest.mark.parametrize("env_file", env_files(), ids=lambda p: p.name)
def test_every_variable_in_the_env_file_is_read_by_a_service(env_file):
    names = ASSIGNMENT.findall(env_file.read_text())
    assert names
    assert sorted(set(names) - known_variables()) == []


def test_the_reference_lists_the_settings_that_matter_in_production():
    known = known_variables()
    for name in [
        "AUTH_KEYS_DIR",
        "CORE_EVENTS_REDIS_URL",
        "GATEWAY_RATE_LIMIT_STORAGE_URL",
        "GATEWAY_ALLOWED_HOSTS",
        "GUNICORN_GRACEFUL_TIMEOUT",
    ]:
        assert name in known


def test_with_env_reads_values_literally_and_lets_the_environment_win(tmp_path):
    env_file = tmp_path / "platform.env"
    env_file.write_text(
        "# a comment\nAUTH_MAIL_FROM=Farm <no-reply@example.com>\n"
        "MONGODB_URI=mongodb://db1/?replicaSet=rs0&w=majority\nGATEWAY_PORT=8000\n"
    )
    result = subprocess.run(
        [ROOT / "infra/prod/with-env.sh", env_file, "env"],
        env={"PATH": "/usr/bin:/bin", "GATEWAY_PORT": "9000"},
        capture_output=True,
        text=True,
        check=True,
    )
    lines = result.stdout.splitlines()
    assert "AUTH_MAIL_FROM=Farm <no-reply@example.com>" in lines
    assert "MONGODB_URI=mongodb://db1/?replicaSet=rs0&w=majority" in lines
    assert "GATEWAY_PORT=9000" in lines
