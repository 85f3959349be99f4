"""Redocly's recommended ruleset on the merged document of the real services: what every
OpenAPI tool (Swagger, ReDoc, generators) expects of a document. Rules left out are set in
the repository's redocly.yaml, each with its reason (docs/api.md)."""

import json
import os
import subprocess
from pathlib import Path

from gateway.tests.platform_document import platform_document

ROOT = Path(__file__).resolve().parents[2]
REDOCLY = ROOT / "node_modules" / ".bin" / "redocly"


def redocly_lint(document_file: Path) -> dict:
    """Runs the pinned CLI offline: telemetry off, and the recommended ruleset ships with it
    (nothing is fetched; the platform's test machine reaches no other host)."""
    result = subprocess.run(
        [str(REDOCLY), "lint", "--extends", "recommended", str(document_file), "--format", "json"],
        cwd=ROOT,
        env={**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.stdout, result.stderr
    return json.loads(result.stdout)


def test_the_merged_document_passes_redoclys_recommended_rules(make_settings, tmp_path):
    document_file = tmp_path / "openapi.json"
    document_file.write_text(json.dumps(platform_document(make_settings(), tmp_path / "keys")))

    report = redocly_lint(document_file)

    problems = [
        (problem["severity"], problem["ruleId"], problem["message"])
        for problem in report["problems"]
    ]
    assert problems == []
    assert report["totals"] == {"errors": 0, "warnings": 0, "ignored": 0}
