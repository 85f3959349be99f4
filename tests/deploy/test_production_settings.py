"""Services refuse to start in production with development settings, one clear line each
(platform_common.production, run by infra/prod/gunicorn.conf.py before any worker boots)."""

import os
import subprocess

import pytest

from auth_service.settings import AuthSettings
from conftest import ROOT, free_port
from core_api.registry.settings import DEVELOPMENT_SIGNING_KEY
from core_api.settings import CoreSettings
from gateway.settings import GatewaySettings
from platform_common.production import ensure_production_ready, production_problems

GOOD_SECRET = "f" * 64


def test_development_settings_are_not_checked():
    assert production_problems(GatewaySettings(allowed_hosts=["*"])) == []


def test_a_missing_mongodb_uri_is_refused():
    settings = CoreSettings(
        environment="production", fragment_override_secret=GOOD_SECRET, cursor_secret=GOOD_SECRET
    )
    assert production_problems(settings) == [
        "MONGODB_URI is not set: production needs your MongoDB replica set's address"
    ]


def test_a_given_mongodb_uri_passes(monkeypatch):
    monkeypatch.setenv("MONGODB_URI", "mongodb://db1,db2,db3/?replicaSet=rs0")
    settings = CoreSettings(
        environment="production", fragment_override_secret=GOOD_SECRET, cursor_secret=GOOD_SECRET
    )
    assert production_problems(settings) == []


def test_the_development_cursor_key_is_refused(monkeypatch):
    monkeypatch.setenv("MONGODB_URI", "mongodb://db1,db2,db3/?replicaSet=rs0")
    settings = CoreSettings(environment="production", fragment_override_secret=GOOD_SECRET)
    assert production_problems(settings) == [
        "CORE_CURSOR_SECRET is still the development default: set a secret of your own"
    ]


@pytest.mark.parametrize("field", ["allowed_hosts", "cors_origins"])
def test_a_wildcard_in_an_allowed_list_is_refused(field):
    lists = {"allowed_hosts": ["platform.example.com"], field: ["https://example.com", "*"]}
    settings = GatewaySettings(environment="production", **lists)
    assert production_problems(settings) == [
        f"GATEWAY_{field.upper()} contains '*': list the exact origins or hosts allowed"
    ]


def test_the_development_keys_folder_is_refused(monkeypatch):
    monkeypatch.setenv("MONGODB_URI", "mongodb://db1/?replicaSet=rs0")
    settings = AuthSettings(environment="production")
    assert production_problems(settings) == [
        "AUTH_KEYS_DIR points at the development folder .local/keys: set it to your own"
    ]
    assert production_problems(AuthSettings(environment="production", keys_dir="/etc/k")) == []


def test_ensure_production_ready_exits_with_every_problem():
    with pytest.raises(SystemExit) as exit_info:
        ensure_production_ready(AuthSettings(environment="production"))
    lines = str(exit_info.value.code).splitlines()
    assert [line.split(":")[1].strip() for line in lines] == [
        "MONGODB_URI is not set",
        "AUTH_KEYS_DIR points at the development folder .local/keys",
    ]


def _start_under_gunicorn(service: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("AUTH_", "CORE_", "GATEWAY_", "MONGODB"))
    }
    return subprocess.run(
        [ROOT / "infra/prod/gunicorn.sh", service],
        env=clean | {"PATH": f"{ROOT / '.venv/bin'}:{os.environ['PATH']}"} | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_the_gateway_under_gunicorn_refuses_a_wildcard_host_before_any_worker_starts():
    result = _start_under_gunicorn(
        "gateway", GATEWAY_ENVIRONMENT="production", GATEWAY_PORT=str(free_port())
    )

    assert result.returncode != 0
    refusals = [line for line in result.stdout.splitlines() if "refusing to start" in line]
    assert len(refusals) == 1
    assert "GATEWAY_ALLOWED_HOSTS contains '*'" in refusals[0]
    assert "Booting worker" not in result.stdout


def test_core_under_gunicorn_refuses_the_development_override_secret():
    result = _start_under_gunicorn(
        "core",
        CORE_ENVIRONMENT="production",
        CORE_PORT=str(free_port()),
        MONGODB_URI="mongodb://db1/",
    )

    assert result.returncode != 0
    assert "CORE_FRAGMENT_OVERRIDE_SECRET must be set outside development" in result.stdout


def test_core_under_gunicorn_refuses_the_public_development_override_key():
    result = _start_under_gunicorn(
        "core",
        CORE_ENVIRONMENT="production",
        CORE_PORT=str(free_port()),
        MONGODB_URI="mongodb://db1/",
        CORE_FRAGMENT_OVERRIDE_SECRET=DEVELOPMENT_SIGNING_KEY,
    )

    assert result.returncode != 0
    assert "CORE_FRAGMENT_OVERRIDE_SECRET is the public development key" in result.stdout
    assert "Booting worker" not in result.stdout
