"""The shell page: the shell's HTML with this user's import map, manifest, preload and CSP."""

import json
import re

import httpx
import pytest

from gateway.app import create_app
from gateway.tests.conftest import CORE, SHELL, running

INDEX = """<!doctype html><html><head><meta charset="utf-8"><!--platform:head--></head>
<body><div id="root"></div><script type="module" src="/shell/main.js"></script></body></html>"""
SHARED = {
    "imports": {"react": "/shell/vendor/react.js", "@platform/sdk": "/shell/vendor/sdk.js"},
    "integrity": {"/shell/vendor/react.js": "sha384-react"},
}


def fragment(name: str, version: str, origin: str = "http://127.0.0.1:4101", **extra) -> dict:
    return {
        "name": name,
        "version": version,
        "entry": f"{origin}/{version}/entry.js",
        "integrity": f"sha384-{name}{version}",
        "css": [],
        "preload": [],
        "routes": [f"/{name}/*"],
        "nav": {"label": name.title(), "icon": "chart", "order": 10},
        "canary": False,
        **extra,
    }


def manifest(*fragments: dict) -> dict:
    return {"contract": "1", "shared": {"react": "^19.2.0"}, "fragments": list(fragments)}


@pytest.fixture
def shell_host(upstreams):
    upstreams.get(f"{SHELL}/index.html").respond(200, text=INDEX)
    upstreams.get(f"{SHELL}/shared.json").respond(200, json=SHARED)
    return upstreams


def embedded(html: str, element_id_or_type: str) -> dict:
    pattern = rf"<script[^>]*{element_id_or_type}[^>]*>(.*?)</script>"
    match = re.search(pattern, html, re.S)
    assert match, f"no {element_id_or_type} script in the page"
    return json.loads(match.group(1))


async def test_the_page_carries_import_map_manifest_preload_and_csp(gateway, shell_host):
    shell_host.get(f"{CORE}/fragments/manifest").respond(
        200,
        json=manifest(
            fragment("dashboard", "1.2.0"), fragment("admin", "2.0.0", "http://127.0.0.1:4102")
        ),
    )
    response = await gateway.get("/dashboard/kpis")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["cache-control"] == "no-store"
    html = response.text
    assert "<!--platform:head-->" not in html
    import_map = embedded(html, 'type="importmap"')
    assert import_map["imports"]["react"] == "/shell/vendor/react.js"
    assert import_map["imports"]["@fragment/dashboard"] == "http://127.0.0.1:4101/1.2.0/entry.js"
    assert import_map["imports"]["@fragment/admin"] == "http://127.0.0.1:4102/2.0.0/entry.js"
    assert (
        import_map["integrity"]["http://127.0.0.1:4101/1.2.0/entry.js"] == "sha384-dashboard1.2.0"
    )
    assert import_map["integrity"]["/shell/vendor/react.js"] == "sha384-react"
    assert embedded(html, 'id="platform-manifest"')["fragments"][0]["name"] == "dashboard"
    preloads = re.findall(r'<link rel="modulepreload" href="([^"]+)" integrity="([^"]+)">', html)
    assert preloads == [("http://127.0.0.1:4101/1.2.0/entry.js", "sha384-dashboard1.2.0")]

    csp = response.headers["content-security-policy"]
    nonce = re.search(r"'nonce-([^']+)'", csp).group(1)
    assert f'<script type="importmap" nonce="{nonce}">' in html
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src"))
    assert script_src.split() == [
        "script-src",
        "'self'",
        f"'nonce-{nonce}'",
        "http://127.0.0.1:4101",
        "http://127.0.0.1:4102",
    ]
    assert "unsafe-inline" not in script_src


async def test_only_the_fragment_owning_the_path_is_preloaded(gateway, shell_host):
    shell_host.get(f"{CORE}/fragments/manifest").respond(
        200,
        json=manifest(
            fragment("dashboard", "1.2.0"), fragment("admin", "2.0.0", "http://127.0.0.1:4102")
        ),
    )
    admin = (await gateway.get("/admin")).text
    home = (await gateway.get("/")).text
    assert re.findall(r'rel="modulepreload" href="([^"]+)"', admin) == [
        "http://127.0.0.1:4102/2.0.0/entry.js"
    ]
    assert "modulepreload" not in home


async def test_entries_from_origins_not_allowed_are_left_out(gateway, shell_host):
    shell_host.get(f"{CORE}/fragments/manifest").respond(
        200, json=manifest(fragment("evil", "1.0.0", "https://evil.example"))
    )
    html = (await gateway.get("/evil")).text
    assert "evil.example" not in html
    assert embedded(html, 'id="platform-manifest"')["fragments"] == []


async def test_the_access_cookie_is_the_manifest_bearer_only_when_it_verifies(
    gateway, shell_host, token_issuer
):
    route = shell_host.get(f"{CORE}/fragments/manifest").respond(200, json=manifest())
    token = token_issuer.mint("user-9", ["admin"])
    gateway.cookies.set("farm_access", token)
    await gateway.get("/")
    assert route.calls.last.request.headers["authorization"] == f"Bearer {token}"

    gateway.cookies.set("farm_access", token_issuer.mint("user-9", lifetime_s=-3600))
    await gateway.get("/")
    assert "authorization" not in route.calls.last.request.headers


async def test_a_new_activation_shows_on_the_next_load(gateway, shell_host):
    route = shell_host.get(f"{CORE}/fragments/manifest")
    route.respond(200, json=manifest(fragment("dashboard", "1.2.0")))
    first = (await gateway.get("/dashboard")).text
    route.respond(200, json=manifest(fragment("dashboard", "1.3.0")))
    second = (await gateway.get("/dashboard")).text
    assert "1.2.0/entry.js" in first
    assert "1.3.0/entry.js" in second and "1.2.0/entry.js" not in second


async def test_json_in_the_page_cannot_close_its_script_element(gateway, shell_host):
    shell_host.get(f"{CORE}/fragments/manifest").respond(
        200,
        json=manifest(
            fragment("dashboard", "1.2.0", nav={"label": "</script><script>alert(1)</script>"})
        ),
    )
    html = (await gateway.get("/")).text
    assert "<script>alert(1)" not in html
    label = embedded(html, 'id="platform-manifest"')["fragments"][0]["nav"]["label"]
    assert label == "</script><script>alert(1)</script>"


async def test_a_down_registry_still_serves_the_shell(gateway, shell_host):
    shell_host.get(f"{CORE}/fragments/manifest").mock(side_effect=httpx.ConnectError("down"))
    response = await gateway.get("/")
    assert response.status_code == 200
    assert embedded(response.text, 'id="platform-manifest"')["fragments"] == []


async def test_a_down_shell_host_is_a_json_503(make_settings, upstreams):
    upstreams.get(f"{SHELL}/index.html").mock(side_effect=httpx.ConnectError("down"))
    upstreams.get(f"{SHELL}/shared.json").mock(side_effect=httpx.ConnectError("down"))
    async with running(create_app(make_settings())) as client:
        response = await client.get("/")
    assert response.status_code == 503
    assert response.json()["detail"]["code"] == "SHELL_UNAVAILABLE"


async def test_shell_assets_are_proxied_under_shell(gateway, shell):
    body = b"export const x = 1;"
    shell.reply(
        "GET", "/vendor/react.js", content=body, headers={"content-type": "text/javascript"}
    )
    response = await gateway.get("/shell/vendor/react.js")
    assert response.content == body
    assert response.headers["content-type"] == "text/javascript"
    assert shell.calls("/vendor/react.js")
