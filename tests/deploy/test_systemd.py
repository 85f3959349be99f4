"""The systemd units (infra/systemd/) as a server would load them: `systemd-analyze verify`
finds no error or warning, every production process has a unit, and each runs hardened as a
dedicated user with its settings from the environment file."""

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT

UNITS = ROOT / "infra/systemd"
INSTALL_PREFIX = "/opt/farm-platform"
PROCESSES = ["auth", "core", "gateway", "shell"]


def _installed_copy(tmp_path: Path) -> Path:
    """The units as installed, with this checkout standing in for /opt/farm-platform (verify
    checks that every ExecStart program exists)."""
    for unit in UNITS.iterdir():
        text = unit.read_text().replace(INSTALL_PREFIX, str(ROOT))
        (tmp_path / unit.name).write_text(text)
    for name in PROCESSES:
        shutil.copyfile(tmp_path / "farm@.service", tmp_path / f"farm@{name}.service")
    return tmp_path


def _verify(folder: Path, *units: str) -> subprocess.CompletedProcess[str]:
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze is not installed here (Debian: apt-get install systemd)")
    return subprocess.run(
        [tool, "verify", "--man=no", *units], cwd=folder, capture_output=True, text=True
    )


def test_every_unit_verifies_without_errors_or_warnings(tmp_path):
    folder = _installed_copy(tmp_path)
    units = [
        *(f"farm@{name}.service" for name in PROCESSES),
        "farm-platform.target",
        "farm-prune-keys.service",
        "farm-prune-keys.timer",
    ]

    result = _verify(folder, *units)

    assert result.returncode == 0, result.stderr
    assert result.stderr.strip() == ""


def test_verify_catches_a_misspelt_option(tmp_path):
    folder = _installed_copy(tmp_path)
    unit = folder / "farm@auth.service"
    unit.write_text(unit.read_text().replace("NoNewPrivileges=yes", "NoNewPrivilege=yes"))

    result = _verify(folder, "farm@auth.service")

    assert "Unknown key 'NoNewPrivilege'" in result.stderr


def test_the_target_starts_every_process_the_production_model_runs():
    target = (UNITS / "farm-platform.target").read_text()
    procfile = (ROOT / "infra/prod/Procfile").read_text()

    for name in PROCESSES:
        assert f"infra/prod/gunicorn.sh {name}" in procfile
        assert f"farm@{name}.service" in target


def test_services_run_hardened_as_a_dedicated_user_with_restarts():
    unit = (UNITS / "farm@.service").read_text().splitlines()

    for line in [
        "User=farm",
        "EnvironmentFile=/etc/farm-platform/platform.env",
        "ExecStart=/opt/farm-platform/infra/prod/gunicorn.sh %i",
        "ExecReload=/bin/kill -s HUP $MAINPID",
        "Restart=on-failure",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ProtectHome=yes",
        "PrivateTmp=yes",
        "CapabilityBoundingSet=",
    ]:
        assert line in unit
