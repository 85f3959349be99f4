"""The committed clients (clients/) are what the generators make of the merged OpenAPI
document of the real platform: regenerated into a temporary folder, nothing may differ.
`UPDATE_CLIENTS=1` writes the new generation into clients/ instead (then review the diff)."""

import filecmp
import os
import shutil
from pathlib import Path

import pytest

from clients.generate import CLIENTS, GENERATED, generate
from tests.e2e.platform_processes import Platform


@pytest.fixture(scope="module")
def regenerated(consumer_platform: Platform, tmp_path_factory: pytest.TempPathFactory) -> Path:
    with consumer_platform.api() as api:
        document = api.get("/openapi.json").raise_for_status().json()
    out = tmp_path_factory.mktemp("clients")
    generate(document, out)
    if os.environ.get("UPDATE_CLIENTS") == "1":
        for name in GENERATED:
            _replace(out / name, CLIENTS / name)
    return out


def _replace(source: Path, target: Path) -> None:
    if target.is_dir():
        shutil.rmtree(target)
    if source.is_dir():
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
    else:
        shutil.copyfile(source, target)


def _differences(left: Path, right: Path) -> list[str]:
    if not right.exists():
        return [str(right)]
    if left.is_file():
        return [] if filecmp.cmp(left, right, shallow=False) else [str(right)]
    compared = filecmp.dircmp(left, right, ignore=["__pycache__"])
    found = [str(right / name) for name in compared.left_only + compared.right_only]
    found += [str(right / name) for name in compared.diff_files + compared.funny_files]
    for name in compared.common_dirs:
        found += _differences(left / name, right / name)
    return found


@pytest.mark.parametrize("name", GENERATED)
def test_the_committed_client_matches_the_merged_document(regenerated: Path, name: str) -> None:
    drift = _differences(regenerated / name, CLIENTS / name)
    assert drift == [], (
        f"{name} drifted from the merged OpenAPI document: {drift}. Regenerate with "
        "UPDATE_CLIENTS=1 .venv/bin/pytest tests/consumers/test_generated_clients.py"
    )
