"""The shell page: the shell's HTML with this user's import map, manifest, preload and CSP."""

import json
import re
import time

import httpx
import jwt
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
        "origin": origin,
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

    # The CSP names the shell's own origin and exactly those of the page's fragments.
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
    style_src = next(d for d in csp.split("; ") if d.startswith("style-src"))
    # Stylesheets only as files from the shell or the fragment origins: no inline <style>.
    assert style_src.split() == [
        "style-src",
        "'self'",
        "http://127.0.0.1:4101",
        "http://127.0.0.1:4102",
    ]


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


def directive(response: httpx.Response, name: str) -> list[str]:
    csp = response.headers["content-security-policy"]
    return next(d for d in csp.split("; ") if d.startswith(f"{name} ")).split()[1:]


async def test_the_csp_names_exactly_the_origins_of_the_pages_fragments(
    make_settings, shell_host, token_issuer
):
    # No setting names a fragment origin: the registry's manifest does, per user and page.
    cdn, team = "https://cdn.example.com", "https://reports.cdn.example"
    everything = manifest(
        fragment("dashboard", "1.2.0", cdn),
        fragment("admin", "2.0.0", cdn),
        fragment("reports", "0.1.0", team),
    )

    def answer(request: httpx.Request) -> httpx.Response:
        signed_in = "authorization" in request.headers
        return httpx.Response(200, json=everything if signed_in else manifest())

    shell_host.get(f"{CORE}/fragments/manifest").mock(side_effect=answer)
    settings = make_settings(environment="production", allowed_hosts=["gateway.test"])
    async with running(create_app(settings)) as gateway:
        anonymous = await gateway.get("/")
        gateway.cookies.set("farm_access", token_issuer.mint("user-1", ["member"]))
        member = await gateway.get("/reports")

    for name in ["script-src", "style-src", "img-src", "font-src", "connect-src"]:
        assert [o for o in directive(member, name) if o.startswith("http")] == [cdn, team], name
        assert [o for o in directive(anonymous, name) if o.startswith("http")] == [], name
    assert directive(anonymous, "style-src") == ["'self'"]
    listed = embedded(member.text, 'id="platform-manifest"')["fragments"]
    assert [f["origin"] for f in listed] == [cdn, cdn, team]


@pytest.mark.parametrize(
    "origin",
    [
        # Each would carry a directive or a path into the CSP.
        "http://x;worker-src *@127.0.0.1:5173",
        "https://cdn.example.com 'unsafe-inline'",
        "https://cdn.example.com/reports",
        None,
    ],
)
async def test_a_manifest_that_does_not_fit_the_schema_renders_the_shell_alone(
    gateway, shell_host, origin
):
    # The registry never serves one (its contract test); the gateway reads the manifest with
    # the same schema and composes nothing rather than anything it does not describe.
    broken = fragment("dashboard", "1.2.0") | {"origin": origin}
    shell_host.get(f"{CORE}/fragments/manifest").respond(
        200, json=manifest(broken, fragment("admin", "2.0.0"))
    )
    response = await gateway.get("/dashboard")
    assert response.status_code == 200
    assert embedded(response.text, 'id="platform-manifest"')["fragments"] == []
    assert "worker-src" not in response.headers["content-security-policy"]
    assert "cdn.example.com" not in response.headers["content-security-policy"]
    assert directive(response, "script-src")[-1].startswith("'nonce-")


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


# Local overrides (docs/fragments.md §6): the registry signs the tokens; the gateway reads
# only their fragment and expiry.
LOCAL = "http://localhost:5173"


def override_token(fragment_name: str, lifetime_s: int = 3600, **claims) -> str:
    now = int(time.time())
    body = {"jti": f"t-{fragment_name}-{lifetime_s}", "sub": "user-1", "aud": "fragment-override"}
    body |= {"fragment": fragment_name, "exp": now + lifetime_s, "iat": now, **claims}
    return jwt.encode(body, "registry-secret-at-least-32-characters!", algorithm="HS256")


def overridden(name: str) -> dict:
    local = {"origin": LOCAL, "entry": f"{LOCAL}/entry.js", "integrity": None, "override": True}
    return fragment(name, "1.2.0") | local


def override_cookie(response: httpx.Response) -> str:
    return next(
        value
        for value in response.headers.get_list("set-cookie")
        if value.startswith("farm_fragment_override=")
    )


async def test_an_override_parameter_is_stored_and_the_page_redirects_without_it(
    gateway, shell_host
):
    registry = shell_host.get(url__startswith=f"{CORE}/fragments/manifest")
    token = override_token("dashboard")
    response = await gateway.get(
        "/dashboard/kpis", params={"tab": "a b", "fragment_override": token, "x": ""}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard/kpis?tab=a+b&x="
    cookie = override_cookie(response)
    assert cookie.startswith(f"farm_fragment_override={token};")
    attributes = {part.strip().split("=")[0].lower(): part for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite", "path", "max-age"} <= set(attributes)
    assert attributes["samesite"].strip().lower() == "samesite=strict"
    assert attributes["path"].strip() == "Path=/"
    assert 3590 <= int(attributes["max-age"].split("=")[1]) <= 3600
    assert not registry.called


async def test_one_override_per_fragment_is_kept_and_all_go_to_the_registry(
    gateway, shell_host, token_issuer
):
    registry = shell_host.get(url__startswith=f"{CORE}/fragments/manifest").respond(
        200, json=manifest()
    )
    gateway.cookies.set("farm_access", token_issuer.mint("user-1", ["member"]))
    first, admin = override_token("dashboard", 600), override_token("admin", 7200)
    newer = override_token("dashboard", 1200)
    for token in (first, admin, newer):
        assert (await gateway.get("/", params={"fragment_override": token})).status_code == 303
    await gateway.get("/")
    assert registry.calls.last.request.url.params.get_list("override") == [admin, newer]


@pytest.mark.parametrize("token", ["not-a-token", override_token("dashboard", lifetime_s=-60)])
async def test_an_unreadable_or_expired_override_is_not_stored(gateway, shell_host, token):
    response = await gateway.get("/reports", params={"fragment_override": token})
    assert response.status_code == 303
    assert response.headers["location"] == "/reports"
    assert "set-cookie" not in response.headers


def registry_answering(shell_host, overridden_manifest: dict):
    """core-api's manifest: the overridden one when tokens come along, else the normal one."""

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.params.get_list("override"):
            return httpx.Response(200, json=overridden_manifest)
        return httpx.Response(200, json=manifest(fragment("dashboard", "1.2.0")))

    return shell_host.get(url__startswith=f"{CORE}/fragments/manifest").mock(side_effect=answer)


async def test_an_overridden_fragment_loads_from_its_local_origin_for_that_response_only(
    gateway, shell_host, token_issuer
):
    registry = registry_answering(shell_host, manifest(overridden("dashboard")))
    access, token = token_issuer.mint("user-1", ["member"]), override_token("dashboard")
    gateway.cookies.set("farm_access", access)
    gateway.cookies.set("farm_fragment_override", token)
    response = await gateway.get("/dashboard")

    sent = registry.calls.last.request
    assert sent.url.params.get_list("override") == [token]
    assert sent.headers["authorization"] == f"Bearer {access}"
    import_map = embedded(response.text, 'type="importmap"')
    assert import_map["imports"]["@fragment/dashboard"] == f"{LOCAL}/entry.js"
    assert f"{LOCAL}/entry.js" not in import_map["integrity"]
    assert import_map["integrity"]["/shell/vendor/react.js"] == "sha384-react"
    assert f'<link rel="modulepreload" href="{LOCAL}/entry.js">' in response.text
    csp = response.headers["content-security-policy"]
    script_src = next(d for d in csp.split("; ") if d.startswith("script-src"))
    assert LOCAL in script_src.split()
    style_src = next(d for d in csp.split("; ") if d.startswith("style-src"))
    assert LOCAL in style_src.split()
    assert "set-cookie" not in response.headers

    gateway.cookies.delete("farm_fragment_override")
    normal = await gateway.get("/dashboard")
    assert LOCAL not in normal.headers["content-security-policy"]
    assert embedded(normal.text, 'type="importmap"')["integrity"][
        "http://127.0.0.1:4101/1.2.0/entry.js"
    ] == ("sha384-dashboard1.2.0")


def registry_answering_overrides_with(shell_host, status: int, code: str):
    """The registry answers a manifest request with override tokens `status` and `code` in its
    ErrorBody (without the pre-1.0 `detail`, which the gateway must not need), and one
    without them with the dashboard 1.2.0."""

    def answer(request: httpx.Request) -> httpx.Response:
        if request.url.params.get_list("override"):
            return httpx.Response(status, json={"code": code, "message": "no", "request_id": "r1"})
        return httpx.Response(200, json=manifest(fragment("dashboard", "1.2.0")))

    return shell_host.get(url__startswith=f"{CORE}/fragments/manifest").mock(side_effect=answer)


def signed_in_with_an_override(gateway, token_issuer):
    gateway.cookies.set("farm_access", token_issuer.mint("user-1", ["member"]))
    gateway.cookies.set("farm_fragment_override", override_token("dashboard"))
    return gateway


@pytest.mark.parametrize(
    ("status", "code"),
    [(403, "OVERRIDE_EXPIRED"), (403, "OVERRIDE_REVOKED"), (403, "OVERRIDE_NOT_YOURS")],
)
async def test_a_refused_override_clears_the_cookie_and_renders_the_normal_manifest(
    gateway, shell_host, token_issuer, status, code
):
    registry = registry_answering_overrides_with(shell_host, status, code)
    response = await signed_in_with_an_override(gateway, token_issuer).get("/dashboard")
    assert response.status_code == 200
    cleared = override_cookie(response)
    assert "max-age=0" in cleared.lower() or "expires=thu, 01 jan 1970" in cleared.lower()
    assert registry.call_count == 2
    assert "override" not in registry.calls.last.request.url.params
    import_map = embedded(response.text, 'type="importmap"')
    assert import_map["imports"]["@fragment/dashboard"] == "http://127.0.0.1:4101/1.2.0/entry.js"


@pytest.mark.parametrize(("status", "code"), [(409, "OVERRIDE_BUSY"), (503, "STORE_UNAVAILABLE")])
async def test_a_busy_override_keeps_the_cookie_and_renders_the_normal_manifest(
    gateway, shell_host, token_issuer, status, code
):
    registry = registry_answering_overrides_with(shell_host, status, code)
    response = await signed_in_with_an_override(gateway, token_issuer).get("/dashboard")
    assert response.status_code == 200
    assert "set-cookie" not in response.headers
    assert registry.call_count == 2
    import_map = embedded(response.text, 'type="importmap"')
    assert import_map["imports"]["@fragment/dashboard"] == "http://127.0.0.1:4101/1.2.0/entry.js"


async def test_overrides_wait_for_a_signed_in_user(gateway, shell_host):
    registry = registry_answering(shell_host, manifest(overridden("dashboard")))
    gateway.cookies.set("farm_fragment_override", override_token("dashboard"))
    response = await gateway.get("/dashboard")
    assert "override" not in registry.calls.last.request.url.params
    assert "set-cookie" not in response.headers  # kept for when the user is signed in
    assert LOCAL not in response.text


async def test_the_owning_fragments_stylesheets_are_preloaded_and_modules_linked(
    gateway, shell_host
):
    origin = "http://127.0.0.1:4101"
    style = {"url": f"{origin}/1.2.0/style.css", "integrity": "sha384-style"}
    # As the registry serves them: pinned, on the fragment's origin (checked at publish).
    dashboard = fragment("dashboard", "1.2.0", css=[style], preload=[f"{origin}/1.2.0/chunk-a.js"])
    shell_host.get(f"{CORE}/fragments/manifest").respond(200, json=manifest(dashboard))
    response = await gateway.get("/dashboard")
    html = response.text
    # Preloaded, not applied to the document: the shell links them in the shadow root, with
    # the same CORS mode and integrity, so the browser reuses the preload.
    assert re.findall(r'<link rel="preload" href="[^"]+" as="style"[^>]*>', html) == [
        f'<link rel="preload" href="{style["url"]}" as="style" integrity="sha384-style"'
        " crossorigin>"
    ]
    assert 'rel="stylesheet"' not in html
    assert embedded(html, 'id="platform-manifest"')["fragments"][0]["css"] == [style]
    assert re.findall(r'<link rel="modulepreload" href="([^"]+)"', html) == [
        f"{origin}/1.2.0/entry.js",
        f"{origin}/1.2.0/chunk-a.js",
    ]
    style_src = next(
        d
        for d in response.headers["content-security-policy"].split("; ")
        if d.startswith("style-src")
    )
    assert origin in style_src.split()
    other_page = (await gateway.get("/")).text
    assert 'as="style"' not in other_page


async def test_an_overrides_stylesheets_are_preloaded_without_integrity_for_it_only(
    gateway, shell_host, token_issuer
):
    local = {"url": f"{LOCAL}/entry.css", "integrity": None}
    # Its local build's stylesheets, unpinned like its entry (the registry checked that they
    # are on its origin); another fragment's stay pinned.
    dashboard = overridden("dashboard") | {"css": [local]}
    pinned = {"url": "http://127.0.0.1:4101/1.0.0/admin.css", "integrity": "sha384-admin"}
    admin = fragment("admin", "1.0.0", css=[pinned])
    registry_answering(shell_host, manifest(dashboard, admin))
    gateway.cookies.set("farm_access", token_issuer.mint("user-1", ["member"]))
    gateway.cookies.set("farm_fragment_override", override_token("dashboard"))
    response = await gateway.get("/dashboard")
    html = response.text

    assert re.findall(r'<link rel="preload" href="[^"]+" as="style"[^>]*>', html) == [
        f'<link rel="preload" href="{LOCAL}/entry.css" as="style" crossorigin>'
    ]
    fragments = {f["name"]: f for f in embedded(html, 'id="platform-manifest"')["fragments"]}
    assert fragments["dashboard"]["css"] == [local]
    assert fragments["admin"]["css"] == [pinned]
    assert directive(response, "style-src") == ["'self'", "http://127.0.0.1:4101", LOCAL]
