"""A fragment team's first five minutes (issue 16): a fragment generated from each template
builds, passes its own Vitest test and Playwright smoke test, is published with the publish
command to the running platform, and a signed-in member sees its page at /<name>, with
nothing restarted and no origin configured for it.

The fragment is generated under .local/e2e-fragments/ (git-ignored, and not an mfe-*/ folder
of the root, so a folder left by a killed run is found by no discovery of the checkout), which
the test platform's one fragment host serves as `make run`'s serves the checkout; it is
removed afterwards."""

import hashlib
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.browser import screenshot, sign_in
from tests.e2e.platform_processes import GENERATED_FRAGMENTS, ROOT, Platform
from tests.e2e.seed import ADMIN_EMAIL, ADMIN_PASSWORD, Seeded
from tests.e2e.seed import sign_in as sign_in_api

WORKSPACE = GENERATED_FRAGMENTS
MEMBER_EMAIL = "noor@e2e.example"  # a plain member, seeded


def run(platform: Platform, *command: str | Path, cwd: Path = ROOT) -> str:
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env=platform.env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module", autouse=True)
def publisher_secrets(platform: Platform) -> Iterator[None]:
    """The service-account secrets the publish command keeps for this test platform's
    store (.local/publishers/<hash of its store and auth database>), removed afterwards."""
    store = f"{platform.env['MONGODB_URI']}|{platform.env['AUTH_DATABASE']}"
    folder = ROOT / ".local" / "publishers" / hashlib.sha256(store.encode()).hexdigest()[:12]
    yield
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def fragment_folder(
    request: pytest.FixtureRequest, platform: Platform, seeded: Seeded
) -> Iterator[Path]:
    name = f"e2e{request.param}{uuid.uuid4().hex[:6]}"
    folder = WORKSPACE / f"mfe-{name}"
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        # Out of every manifest again: later tests see the seeded fragments only.
        with platform.api(sign_in_api(platform, ADMIN_EMAIL, ADMIN_PASSWORD)) as api:
            api.post(f"/api/core/fragments/{name}/disable")


@pytest.mark.parametrize("fragment_folder", ["react", "vanilla"], indirect=True)
def test_a_generated_fragment_is_published_and_shown_without_a_restart(
    page: Page, platform: Platform, seeded: Seeded, fragment_folder: Path
) -> None:
    name = fragment_folder.name.removeprefix("mfe-")
    template = "react" if "react" in name else "vanilla"
    assert name not in str(platform.env), "no setting may name the fragment"

    run(
        platform,
        "node",
        "infra/scripts/new-fragment.mjs",
        *("--name", name, "--template", template, "--into", WORKSPACE),
    )
    run(platform, "npm", "test", cwd=fragment_folder)
    run(platform, "infra/scripts/publish-fragments.sh", fragment_folder)
    run(
        platform,
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:cacheprovider",
        "tests",
        cwd=fragment_folder,
    )

    with platform.api(sign_in_api(platform, MEMBER_EMAIL, ADMIN_PASSWORD)) as api:
        manifest = api.get("/api/core/fragments/manifest").json()
    entry = next(f["entry"] for f in manifest["fragments"] if f["name"] == name)
    assert entry == f"{platform.fragments_origin}/fragments/{name}/0.1.0/entry.js", (
        "served by the platform's one fragment host, which was not told about it"
    )

    sign_in(page, MEMBER_EMAIL, ADMIN_PASSWORD)
    page.get_by_role("link", name=name).click()
    expect(page).to_have_url(f"{platform.url}/{name}")
    expect(page.get_by_role("heading", level=1, name=name)).to_be_visible()
    expect(page.get_by_text(f"Signed in as {MEMBER_EMAIL}.")).to_be_visible()
    screenshot(page, f"new-fragment-{template}")
    assert all(process.poll() is None for process in platform.processes), "nothing restarted"
    assert not (ROOT / fragment_folder.name).exists(), "the repository's own folders untouched"
