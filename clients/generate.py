"""Generates the platform's API clients from its merged OpenAPI document (`/openapi.json`).

    .venv/bin/python -m clients.generate --url http://127.0.0.1:8000/openapi.json

writes, under clients/:
  openapi.json                          the merged document they were generated from
  typescript/src/schema.d.ts            openapi-typescript's types (for openapi-fetch)
  python/platform_api_client/           openapi-python-client's package
  postman/platform.postman_collection.json   openapi-to-postmanv2's collection (run by
                                        postman/convert.cjs), with postman/journeys.json added

The tests (tests/consumers/test_generated_clients.py) generate into a temporary folder from
the document of a real platform and fail when anything differs from what is committed.
"""

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

CLIENTS = Path(__file__).resolve().parent
ROOT = CLIENTS.parent
BIN = ROOT / "node_modules/.bin"
VENV_BIN = Path(sys.executable).parent

GENERATED = (
    "openapi.json",
    "typescript/src/schema.d.ts",
    "python/platform_api_client",
    "postman/platform.postman_collection.json",
)


def generate(document: dict[str, Any], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    spec = out / "openapi.json"
    spec.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    _typescript(spec, out / "typescript/src/schema.d.ts")
    _python(spec, out / "python/platform_api_client")
    _postman(spec, out / "postman/platform.postman_collection.json")


def _run(*command: str | Path, cwd: Path = ROOT) -> None:
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"{command[0]} failed:\n{result.stdout}\n{result.stderr}")


def _typescript(spec: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    _run(BIN / "openapi-typescript", spec, "--output", target, "--root-types")


def _python(spec: Path, target: Path) -> None:
    with tempfile.TemporaryDirectory() as work:
        project = Path(work) / "client"
        _run(
            VENV_BIN / "openapi-python-client",
            "generate",
            "--path",
            spec,
            "--meta",
            "none",
            "--config",
            CLIENTS / "python/generator.yaml",
            "--output-path",
            project,
        )
        ruff_config = CLIENTS / "python/ruff.toml"
        _run(VENV_BIN / "ruff", "check", "--fix-only", "--quiet", "--config", ruff_config, project)
        _run(VENV_BIN / "ruff", "format", "--quiet", "--config", ruff_config, project)
        shutil.rmtree(target, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(project, target)


def _postman(spec: Path, target: Path) -> None:
    from clients.postman_collection import build_collection

    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        converted = Path(work) / "converted.json"
        _run("node", CLIENTS / "postman/convert.cjs", spec, converted)
        collection = build_collection(json.loads(converted.read_text()))
    target.write_text(json.dumps(collection, indent=2, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", required=True, help="the merged document, e.g. .../openapi.json")
    document = httpx.get(parser.parse_args().url, timeout=30.0).raise_for_status().json()
    generate(document, CLIENTS)


if __name__ == "__main__":
    main()
