"""The route-matching rule the shell page preloads by: the platform's one table of cases,
which the shell's Vitest runs too (packages/sdk/contract/route-matching.json)."""

import json

import pytest

from conftest import ROOT
from gateway.shell import owning_fragment

VECTORS = json.loads((ROOT / "packages/sdk/contract/route-matching.json").read_text())


@pytest.mark.parametrize("case", VECTORS["cases"], ids=lambda case: case["path"])
def test_the_longest_matching_route_owns_the_path(case):
    manifest = {
        "fragments": [{"name": name, "routes": routes} for name, routes in case["owners"].items()]
    }
    owner = owning_fragment(manifest, case["path"])
    assert (owner["name"] if owner else None) == case["owner"]
