"""What a browser, a crawler or an Observatory-style scanner meets at the gateway's own paths:
security headers on every page, CSPs that fit the docs pages, real answers for robots.txt and
/.well-known, no source maps and no open /metrics outside development."""

import base64
import hashlib
import re

import pytest
from playwright.sync_api import expect, sync_playwright

from gateway.app import create_app
from gateway.tests.conftest import AUTH, CORE, SHELL, running, serve_in_thread
from tests.support.chromium import CHROMIUM, CHROMIUM_ARGS

INDEX = (
    '<!doctype html><html><head><meta charset="utf-8"><!--platform:head--></head>'
    '<body><div id="root"></div><script type="module" src="/shell/main.js"></script></body></html>'
)
SPEC = {"openapi": "3.1.0", "info": {"title": "x", "version": "1"}, "paths": {}}
PAGES = ["/", "/login", "/docs", "/redoc", "/openapi.json"]


@pytest.fixture
def answered(upstreams):
    """The shell host, the registry's manifest and both services' OpenAPI documents."""
    upstreams.get(f"{SHELL}/index.html").respond(200, text=INDEX)
    upstreams.get(f"{SHELL}/shared.json").respond(200, json={"imports": {}, "integrity": {}})
    upstreams.get(f"{CORE}/fragments/manifest").respond(200, json={"fragments": []})
    upstreams.get(f"{AUTH}/openapi.json").respond(200, json=SPEC)
    upstreams.get(f"{CORE}/openapi.json").respond(200, json=SPEC)
    return upstreams


def directives(csp: str) -> dict[str, list[str]]:
    parsed = (part.split() for part in csp.split(";") if part.strip())
    return {name: sources for name, *sources in parsed}


@pytest.mark.parametrize("path", PAGES)
async def test_every_page_carries_the_observatory_headers(gateway, answered, path):
    response = await gateway.get(path)

    assert response.status_code == 200, response.text
    policy = directives(response.headers["content-security-policy"])
    assert policy["frame-ancestors"] == ["'none'"]
    assert "default-src" in policy
    script_sources = policy.get("script-src", policy["default-src"])
    for unsafe in ("'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:", "data:"):
        assert unsafe not in script_sources
    assert policy.get("object-src", policy["default-src"]) == ["'none'"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "camera=()" in response.headers["permissions-policy"]
    assert "geolocation=()" in response.headers["permissions-policy"]
    assert response.headers["cross-origin-opener-policy"] == "same-origin"
    assert response.headers["cross-origin-resource-policy"] == "same-origin"


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
async def test_the_docs_pages_load_only_their_own_files_and_inline_scripts_by_hash(
    gateway, answered, path
):
    response = await gateway.get(path)

    page = response.text
    assert "https://" not in page and "http://" not in page  # no CDN, no Google fonts
    referenced = re.findall(r'(?:src|href|spec-url)="([^"]+)"', page)
    assert referenced and all(
        url.startswith(("/docs/assets/", "/openapi.json")) for url in referenced
    )
    policy = directives(response.headers["content-security-policy"])
    for script in re.findall(r"<script>(.*?)</script>", page, re.S):
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy["script-src"]
    assert policy["connect-src"] == ["'self'"]
    assert policy["default-src"] == ["'none'"]


async def test_robots_txt_is_plain_text_allowing_sign_in_only(gateway):
    response = await gateway.get("/robots.txt")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert "User-agent: *" in lines
    assert "Allow: /login" in lines
    assert "Disallow: /" in lines


@pytest.mark.parametrize(
    "path",
    [
        "/.well-known",
        "/.well-known/security.txt",
        "/.well-known/openid-configuration",
        "/.well-known/jwks.json",
    ],
)
async def test_well_known_paths_outside_auth_are_404_not_the_shell(gateway, answered, path):
    response = await gateway.get(path)

    assert response.status_code == 404
    assert response.headers["content-type"] == "application/json"
    assert response.json()["detail"]["code"] == "NOT_FOUND"


async def test_the_auth_services_well_known_documents_still_pass(gateway, auth):
    auth.reply("GET", "/.well-known/jwks.json", json={"keys": []})

    response = await gateway.get("/api/auth/.well-known/jwks.json")

    assert response.status_code == 200
    assert response.json() == {"keys": []}


def production(make_settings, **overrides):
    return make_settings(environment="production", allowed_hosts=["gateway.test"], **overrides)


async def test_source_maps_are_served_in_development_only(make_settings, upstreams, shell):
    shell.reply("GET", "/assets/index-Bx3aF9q2.js.map", json={"version": 3})
    shell.reply("GET", "/assets/index-Bx3aF9q2.js", content=b"export {};")

    async with running(create_app(make_settings())) as development:
        assert (await development.get("/shell/assets/index-Bx3aF9q2.js.map")).status_code == 200
    async with running(create_app(production(make_settings))) as gateway:
        refused = await gateway.get("/shell/assets/index-Bx3aF9q2.js.map")
        script = await gateway.get("/shell/assets/index-Bx3aF9q2.js")

    assert refused.status_code == 404
    assert refused.json()["detail"]["code"] == "NOT_FOUND"
    assert script.status_code == 200


async def test_metrics_are_open_in_development_only(make_settings, upstreams):
    async with running(create_app(make_settings())) as development:
        assert (await development.get("/metrics")).status_code == 200
    async with running(create_app(production(make_settings))) as gateway:
        hidden = await gateway.get("/metrics")

    assert hidden.status_code == 404
    assert hidden.json()["detail"]["code"] == "NOT_FOUND"


async def test_metrics_need_the_bearer_token_when_one_is_set(make_settings, upstreams):
    token = "metrics-" + "s" * 32
    async with running(create_app(production(make_settings, metrics_token=token))) as gateway:
        missing = await gateway.get("/metrics")
        wrong = await gateway.get("/metrics", headers={"authorization": "Bearer nope"})
        scraped = await gateway.get("/metrics", headers={"authorization": f"Bearer {token}"})

    for refused in (missing, wrong):
        assert refused.status_code == 401
        assert refused.json()["detail"]["code"] == "METRICS_TOKEN_REQUIRED"
        assert refused.headers["www-authenticate"] == "Bearer"
    assert scraped.status_code == 200
    assert "gateway_requests_total" in scraped.text


@pytest.mark.parametrize(
    ("path", "rendered"), [("/docs", ".swagger-ui .info"), ("/redoc", ".api-info")]
)
def test_the_docs_pages_work_offline_under_their_csp_in_chromium(
    make_settings, answered, path, rendered
):
    offsite: list[str] = []
    refused: list[str] = []
    with serve_in_thread(create_app(make_settings())) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.on(
                "console",
                lambda message: (
                    refused.append(message.text)
                    if "Content Security Policy" in message.text
                    else None
                ),
            )
            page.route(
                lambda address: not address.startswith(url),
                lambda route: (offsite.append(route.request.url), route.abort()),
            )
            page.goto(f"{url}{path}")
            expect(page.locator(rendered)).to_be_visible(timeout=20_000)
        finally:
            browser.close()

    assert offsite == []
    assert refused == []
