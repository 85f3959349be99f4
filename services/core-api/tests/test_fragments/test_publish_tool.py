"""The publishing tool (infra/fragment-publish.mjs) run with Node against core-api served over
real HTTP, with the fragment's build served by a real static host."""

import asyncio
import base64
import hashlib
import json
import sys
import uuid
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[4]
TOOL = ROOT / "infra/fragment-publish.mjs"


def integrity_of(content: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(content).digest()).decode()


@pytest.fixture
async def core_url(settings, live_server_factory):
    url, _ = await live_server_factory(settings)
    return url


class Team:
    """A fragment folder as a team has it after `npm run build`, and its host."""

    def __init__(self, folder: Path, host, base: str) -> None:
        self.folder, self.host, self.base = folder, host, base

    def build(
        self,
        version: str,
        entry: bytes,
        *,
        serve: bytes | None = None,
        css: bytes = b"body{}",
        serve_css: bytes | None = None,
    ) -> None:
        package = {
            "name": "mfe-reports",
            "version": version,
            "fragment": {
                "name": "reports",
                "description": "Reports",
                "roles": ["member"],
                "routes": ["/reports/*"],
                "nav": {"label": "Reports", "icon": "chart", "order": 20},
                "baseUrl": self.host.origin + self.base,
            },
        }
        (self.folder / "package.json").write_text(json.dumps(package))
        dist = self.folder / "dist" / version
        dist.mkdir(parents=True, exist_ok=True)
        (dist / "entry.js").write_bytes(entry)
        (dist / "style.css").write_bytes(css)
        self.host.put_at(f"{self.base}/{version}/entry.js", entry if serve is None else serve)
        self.host.put_at(
            f"{self.base}/{version}/style.css", css if serve_css is None else serve_css
        )


@pytest.fixture
def team(tmp_path, fragment_host) -> Team:
    return Team(tmp_path, fragment_host, f"/{uuid.uuid4().hex[:8]}")


async def _run(core_url, team, token_issuer, *args: str) -> tuple[int, str]:
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "FRAGMENT_REGISTRY_URL": core_url,
        "FRAGMENT_TOKEN": token_issuer.mint("client:reports-ci", ["publisher:reports"]),
        "FRAGMENT_ADMIN_TOKEN": token_issuer.mint("client:registrar", ["admin"]),
    }
    process = await asyncio.create_subprocess_exec(
        "node",
        str(TOOL),
        "--dir",
        str(team.folder),
        *args,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=30)
    sys.stdout.write(output.decode())
    return process.returncode or 0, output.decode()


async def _state(core_url, token_issuer):
    headers = {"Authorization": f"Bearer {token_issuer.mint('u1', ['member'])}"}
    async with httpx.AsyncClient(base_url=core_url, headers=headers) as http:
        fragment = (await http.get("/fragments/reports")).json()
        manifest = (await http.get("/fragments/manifest")).json()
    return fragment, manifest


async def test_first_run_registers_publishes_and_activates_later_runs_skip(
    core_url, team, token_issuer
):
    team.build("1.0.0", b"export function mount() { return () => {}; }")
    status, output = await _run(core_url, team, token_issuer, "--register", "--activate")
    assert status == 0, output
    assert "registered fragment reports" in output
    assert "live: reports 1.0.0 is active" in output
    fragment, manifest = await _state(core_url, token_issuer)
    assert fragment["active_version"] == "1.0.0"
    [entry] = manifest["fragments"]
    assert entry["entry"] == f"{team.host.origin}{team.base}/1.0.0/entry.js"
    assert entry["css"] == [
        {
            "url": f"{team.host.origin}{team.base}/1.0.0/style.css",
            "integrity": integrity_of(b"body{}"),
        }
    ]
    assert entry["nav"] == {"label": "Reports", "icon": "chart", "order": 20}

    status, output = await _run(core_url, team, token_issuer, "--register", "--activate")
    assert status == 0, output
    assert "skipped: reports 1.0.0 is already published" in output


async def test_a_new_version_goes_to_a_canary(core_url, team, token_issuer):
    team.build("1.0.0", b"export const v = 1;")
    assert (await _run(core_url, team, token_issuer, "--register", "--activate"))[0] == 0
    team.build("1.1.0", b"export const v = 2;")
    status, output = await _run(core_url, team, token_issuer, "--canary", "20")
    assert status == 0, output
    assert "canary: reports 1.1.0 goes to 20% of signed-in users; 1.0.0 stays active" in output
    fragment, _ = await _state(core_url, token_issuer)
    assert fragment["canary"]["version"] == "1.1.0"


async def test_republishing_a_version_with_other_bytes_fails(core_url, team, token_issuer):
    team.build("1.0.0", b"export const v = 1;")
    assert (await _run(core_url, team, token_issuer, "--register"))[0] == 0
    team.build("1.0.0", b"export const v = 'changed';")
    status, output = await _run(core_url, team, token_issuer, "--activate")
    assert status == 1
    assert "already published with other bytes" in output and "bump the version" in output


async def test_republishing_a_version_with_other_stylesheet_bytes_fails(
    core_url, team, token_issuer
):
    team.build("1.0.0", b"export const v = 1;", css=b".a{color:red}")
    assert (await _run(core_url, team, token_issuer, "--register"))[0] == 0
    team.build("1.0.0", b"export const v = 1;", css=b".a{color:blue}")
    status, output = await _run(core_url, team, token_issuer, "--activate")
    assert status == 1
    assert "already published with other bytes" in output and "bump the version" in output


async def test_a_tampered_stylesheet_is_refused_by_the_registry(core_url, team, token_issuer):
    team.build("1.0.0", b"export const v = 1;", serve_css=b"body{background:url(//evil.example)}")
    status, output = await _run(core_url, team, token_issuer, "--register", "--activate")
    assert status == 1
    assert "INTEGRITY_MISMATCH" in output and "style.css" in output
    fragment, _ = await _state(core_url, token_issuer)
    assert fragment["active_version"] is None


async def test_the_registrys_refusal_is_shown(core_url, team, token_issuer):
    team.build("1.0.0", b"export const built = 1;", serve=b"export const tampered = 1;")
    status, output = await _run(core_url, team, token_issuer, "--register", "--activate")
    assert status == 1
    assert "INTEGRITY_MISMATCH" in output
    fragment, _ = await _state(core_url, token_issuer)
    assert fragment["active_version"] is None


async def test_bad_usage_is_explained(core_url, team, token_issuer):
    status, output = await _run(core_url, team, token_issuer)
    assert (status, "package.json" in output) == (1, True)
    team.build("1.0.0", b"x")
    for args, said in [
        (("--canary", "150"), "percentage 0..100"),
        (("--canary", "5", "--activate"), "not both"),
    ]:
        status, output = await _run(core_url, team, token_issuer, *args)
        assert status == 1 and said in output, output
    (team.folder / "dist" / "1.0.0" / "entry.js").unlink()
    status, output = await _run(core_url, team, token_issuer)
    assert "entry.js is missing" in output
