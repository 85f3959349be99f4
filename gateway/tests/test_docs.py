"""The merged /openapi.json, and Swagger UI / ReDoc served with local assets."""

import httpx

from gateway.app import create_app
from gateway.tests.conftest import AUTH, CORE, running


def spec(title: str, paths: dict, schemas: dict | None = None, **extra) -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": "1"},
        "paths": paths,
        "components": {"schemas": schemas or {}, **extra},
    }


AUTH_SPEC = spec(
    "auth",
    {"/jwt/login": {"post": {"operationId": "login", "responses": {"200": {"description": "ok"}}}}},
    {"ErrorModel": {"type": "object", "properties": {"detail": {"type": "string"}}}},
    securitySchemes={
        "OAuth2PasswordBearer": {
            "type": "oauth2",
            "flows": {"password": {"scopes": {}, "tokenUrl": "jwt/login"}},
        }
    },
)
CORE_SPEC = spec(
    "core",
    {
        "/projects": {
            "get": {
                "operationId": "login",
                "responses": {
                    "200": {
                        "description": "ok",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/ErrorModel"}
                            }
                        },
                    }
                },
            }
        }
    },
    {"ErrorModel": {"type": "object", "properties": {"code": {"type": "integer"}}}},
)


async def test_specs_are_merged_under_their_public_prefixes(gateway, upstreams):
    upstreams.get(f"{AUTH}/openapi.json").respond(200, json=AUTH_SPEC)
    upstreams.get(f"{CORE}/openapi.json").respond(200, json=CORE_SPEC)
    merged = (await gateway.get("/openapi.json")).json()
    assert {"/api/auth/jwt/login", "/api/core/projects", "/readyz", "/metrics"} <= set(
        merged["paths"]
    )
    schemas = merged["components"]["schemas"]
    # Same name, different definitions: the later one is renamed and its references follow.
    assert schemas["ErrorModel"] == AUTH_SPEC["components"]["schemas"]["ErrorModel"]
    assert schemas["core_ErrorModel"] == CORE_SPEC["components"]["schemas"]["ErrorModel"]
    core_get = merged["paths"]["/api/core/projects"]["get"]
    ref = core_get["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    assert ref == "#/components/schemas/core_ErrorModel"
    assert core_get["operationId"] == "core_login"
    # The services' bearer schemes are one OAuth2 scheme with public token URLs.
    schemes = merged["components"]["securitySchemes"]
    assert "OAuth2PasswordBearer" not in schemes
    assert schemes["OAuth2"]["flows"]["password"]["tokenUrl"] == "/api/auth/jwt/login"
    assert schemes["OAuth2"]["flows"]["clientCredentials"]["tokenUrl"] == "/api/auth/token"


async def test_a_down_service_keeps_its_last_known_part_and_changes_are_picked_up(
    make_settings, upstreams
):
    auth = upstreams.get(f"{AUTH}/openapi.json")
    core = upstreams.get(f"{CORE}/openapi.json")
    auth.respond(200, json=AUTH_SPEC)
    core.respond(200, json=CORE_SPEC)
    async with running(create_app(make_settings(openapi_ttl_s=0))) as client:
        first = (await client.get("/openapi.json")).json()
        assert "/api/core/projects" in first["paths"]

        core.mock(side_effect=httpx.ConnectError("down"))
        changed = spec(
            "auth", {"/users/me": {"get": {"responses": {"200": {"description": "ok"}}}}}
        )
        auth.respond(200, json=changed)
        second = (await client.get("/openapi.json")).json()
    assert "/api/core/projects" in second["paths"]
    assert "/api/auth/users/me" in second["paths"]
    assert "/api/auth/jwt/login" not in second["paths"]


async def test_parts_are_cached_between_requests(gateway, upstreams):
    route = upstreams.get(f"{AUTH}/openapi.json").respond(200, json=AUTH_SPEC)
    upstreams.get(f"{CORE}/openapi.json").respond(200, json=CORE_SPEC)
    for _ in range(3):
        assert (await gateway.get("/openapi.json")).status_code == 200
    assert route.call_count == 1


async def test_a_down_service_is_asked_again_only_after_the_cache_time(gateway, upstreams):
    upstreams.get(f"{AUTH}/openapi.json").respond(200, json=AUTH_SPEC)
    down = upstreams.get(f"{CORE}/openapi.json").mock(side_effect=httpx.ConnectError("down"))
    for _ in range(3):
        merged = (await gateway.get("/openapi.json")).json()
        assert "/api/auth/jwt/login" in merged["paths"]
    assert down.call_count == 1


async def test_docs_pages_use_local_assets_only(gateway):
    for page, asset in (("/docs", "swagger-ui-bundle.js"), ("/redoc", "redoc.standalone.js")):
        html = (await gateway.get(page)).text
        assert f"/docs/assets/{asset}" in html
        assert "cdn.jsdelivr.net" not in html
        assert "fonts.googleapis.com" not in html
        served = await gateway.get(f"/docs/assets/{asset}")
        assert served.status_code == 200
        assert len(served.content) > 100_000
    assert (await gateway.get("/docs/assets/swagger-ui.css")).status_code == 200
