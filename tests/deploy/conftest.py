"""Fixtures of the deployment tests: a dev TLS certificate and nginx processes."""

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from conftest import ROOT
from tests.deploy.helpers import Nginx


@pytest.fixture(scope="session")
def tls_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("tls")
    subprocess.run([ROOT / "infra/prod/dev-tls.sh", directory], check=True, capture_output=True)
    return directory


@pytest.fixture
def run_nginx() -> Iterator[Callable[[Path, int], Nginx]]:
    started: list[Nginx] = []

    def start(config: Path, https_port: int) -> Nginx:
        started.append(Nginx(config, https_port))
        return started[-1]

    yield start
    for nginx in started:
        nginx.stop()
