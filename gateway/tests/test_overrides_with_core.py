"""Local fragment overrides end to end: the gateway's shell page in front of a real core-api
(on the real store) that issues, checks and revokes the override tokens."""

import base64
import hashlib
import json
import re
from collections.abc import Iterator

import httpx
import pytest

from core_api.app import create_app as create_core_app
from core_api.settings import CoreSettings
from gateway.app import create_app
from gateway.tests.conftest import ScriptedUpstream, running, serve_in_thread

LOCAL = "http://localhost:5173"
LOCAL_CSS = f"{LOCAL}/entry.css"
ENTRY = b"export function mount() { return () => {}; }"
INDEX = "<!doctype html><html><head><!--platform:head--></head><body></body></html>"


@pytest.fixture
def fragment_host() -> Iterator[ScriptedUpstream]:
    host = ScriptedUpstream("")
    with serve_in_thread(host) as url:
        host.url = url
        host.reply("GET", "/1.0.0/entry.js", content=ENTRY)
        yield host


@pytest.fixture
def core_url(mongodb_uri, database_name, token_issuer, fragment_host) -> Iterator[str]:
    settings = CoreSettings(
        mongodb_uri=mongodb_uri,
        database=database_name,
        jwks_url=token_issuer.jwks_url,
        jwt_issuer=token_issuer.issuer,
        jwt_audience=token_issuer.audience,
        fragment_allowed_origins=[fragment_host.url],
    )
    with serve_in_thread(create_core_app(settings)) as url:
        yield url


def embedded(html: str, marker: str) -> dict:
    match = re.search(rf"<script[^>]*{marker}[^>]*>(.*?)</script>", html, re.S)
    assert match, html
    return json.loads(match.group(1))


def import_map(html: str) -> dict:
    return embedded(html, 'type="importmap"')


def style_src(response: httpx.Response) -> list[str]:
    csp = response.headers["content-security-policy"]
    return next(d for d in csp.split("; ") if d.startswith("style-src ")).split()[1:]


def page_css(html: str) -> list[dict]:
    [fragment] = embedded(html, 'id="platform-manifest"')["fragments"]
    return fragment["css"]


async def live_reports_with_override(core_url: str, host: str, token_issuer) -> dict:
    """Registers and activates `reports` 1.0.0; dev-7, its publisher, issues an override token
    for themselves."""
    admin = {"authorization": f"Bearer {token_issuer.mint('admin-1', ['admin'])}"}
    developer = token_issuer.mint("dev-7", ["member", "publisher:reports"])
    integrity = "sha384-" + base64.b64encode(hashlib.sha384(ENTRY).digest()).decode()
    version = {
        "version": "1.0.0",
        "entry": f"{host}/1.0.0/entry.js",
        "integrity": integrity,
        "routes": ["/reports/*"],
        "nav": {"label": "Reports", "icon": "chart", "order": 10},
        "contract": "1",
    }
    async with httpx.AsyncClient(base_url=core_url, headers=admin, timeout=10) as core:
        steps = [
            ("/fragments", {"name": "reports", "description": "Reports", "roles": ["member"]}),
            ("/fragments/reports/versions", version),
            ("/fragments/reports/activate", {"version": "1.0.0"}),
        ]
        for path, body in steps:
            response = await core.post(path, json=body)
            assert response.status_code in (200, 201), response.text
        response = await core.post(
            "/fragments/reports/overrides",
            json={"origin": LOCAL, "css": [LOCAL_CSS], "ttl_s": 600},
            headers={"authorization": f"Bearer {developer}"},
        )
        assert response.status_code == 201, response.text
    return response.json() | {"admin": admin}


async def test_an_override_from_the_registry_loads_until_it_is_revoked(
    make_settings, shell, core_url, fragment_host, token_issuer
):
    shell.reply("GET", "/index.html", content=INDEX.encode())
    shell.reply("GET", "/shared.json", json={"imports": {}, "integrity": {}})
    grant = await live_reports_with_override(core_url, fragment_host.url, token_issuer)
    # No fragment origin is configured on the gateway: the registry's manifest names them.
    settings = make_settings(core_url=core_url)
    async with running(create_app(settings)) as gateway:
        gateway.cookies.set("farm_access", token_issuer.mint("dev-7", ["member"]))
        stored = await gateway.get("/reports/monthly", params={"fragment_override": grant["token"]})
        assert stored.status_code == 303
        assert stored.headers["location"] == "/reports/monthly"

        overridden = await gateway.get("/reports/monthly")
        imports = import_map(overridden.text)
        assert imports["imports"]["@fragment/reports"] == f"{LOCAL}/entry.js"
        assert f"{LOCAL}/entry.js" not in imports["integrity"]
        assert style_src(overridden) == ["'self'", LOCAL]
        # Its local stylesheets, unpinned like its entry, so the local build shows styled.
        assert page_css(overridden.text) == [{"url": LOCAL_CSS, "integrity": None}]
        assert f'<link rel="preload" href="{LOCAL_CSS}" as="style" crossorigin>' in overridden.text

        async with httpx.AsyncClient(base_url=core_url, headers=grant["admin"]) as core:
            revoked = await core.delete(f"/fragments/reports/overrides/{grant['token_id']}")
            assert revoked.status_code == 200, revoked.text
        normal = await gateway.get("/reports/monthly")
        assert "farm_fragment_override=" in normal.headers["set-cookie"]
        imports = import_map(normal.text)
        assert imports["imports"]["@fragment/reports"] == f"{fragment_host.url}/1.0.0/entry.js"
        assert imports["integrity"][f"{fragment_host.url}/1.0.0/entry.js"].startswith("sha384-")
        assert LOCAL not in normal.headers["content-security-policy"]
        assert style_src(normal) == ["'self'", fragment_host.url]
        assert page_css(normal.text) == []
        assert LOCAL_CSS not in normal.text
        assert "farm_fragment_override" not in gateway.cookies
