"""One manifest schema: the JSON Schema and TypeScript types committed in packages/sdk/ are
exactly what the models generate (the shell's tsc checks that those types fit what it reads:
mfe-shell/src/manifest.contract.test.ts; core-api's tests check its manifests fit the models:
services/core-api/tests/test_fragments/test_manifest_contract.py)."""

import pytest
from pydantic import ValidationError

from platform_common.manifest_contract import ManifestFragment, generated_files


def test_the_committed_schema_and_types_are_generated_from_the_models():
    for path, text in generated_files().items():
        assert path.read_text() == text, (
            f"{path} is stale: run .venv/bin/python -m platform_common.manifest_contract"
        )


FRAGMENT = {
    "name": "reports",
    "version": "1.0.0",
    "entry": "https://cdn.example.com/reports/1.0.0/entry.js",
    "integrity": "sha384-abc",
    "css": [],
    "preload": [],
    "routes": ["/reports/*"],
    "nav": None,
    "canary": False,
}


@pytest.mark.parametrize(
    "origin",
    ["https://cdn.example.com", "http://127.0.0.1:4101", "http://[::1]:5173", "https://a-b.c:443"],
)
def test_a_fragment_origin_is_scheme_host_and_port(origin):
    assert ManifestFragment.model_validate(FRAGMENT | {"origin": origin}).origin == origin


@pytest.mark.parametrize(
    "origin",
    [
        "https://cdn.example.com/",
        "https://cdn.example.com/reports",
        "https://user@cdn.example.com",
        "http://x;script-src *",
        "https://cdn.example.com 'unsafe-inline'",
        "javascript:alert(1)",
        "*",
        "",
    ],
)
def test_anything_else_is_not_an_origin(origin):
    # The gateway names these origins in the page's CSP: nothing else may reach it.
    with pytest.raises(ValidationError):
        ManifestFragment.model_validate(FRAGMENT | {"origin": origin})
