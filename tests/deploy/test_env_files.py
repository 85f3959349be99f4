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
