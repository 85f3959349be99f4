"""Registering fragments and publishing versions: what is accepted, and every refusal."""

import pytest


async def test_an_admin_registers_a_fragment_owned_by_its_publisher_role(registry):
    response = await registry.register("reports")
    assert response.json() | {"created_at": None, "updated_at": None} == {
        "name": "reports",
        "publisher_role": "publisher:reports",
        "description": "The reports fragment",
        "roles": ["member"],
        "enabled": True,
        "origins": [],
        "active_version": None,
        "previous_version": None,
        "canary": None,
        "created_at": None,
        "updated_at": None,
    }
    [entry] = await registry.audit("fragment.registered")
    assert entry["target_id"] == "reports"
    assert entry["actor"] == "admin-1"


async def test_only_admins_register_and_names_are_unique_and_well_formed(registry, client):
    body = {"name": "reports"}
    refused = await client.post("/fragments", json=body, headers=registry.publisher("reports"))
    assert refused.status_code == 403
    assert refused.json()["detail"]["code"] == "ADMIN_REQUIRED"
    assert (await client.post("/fragments", json=body)).status_code == 401

    await registry.register("reports")
    again = await client.post("/fragments", json=body, headers=registry.admin)
    assert again.status_code == 409
    assert again.json()["detail"]["code"] == "FRAGMENT_EXISTS"

    for name in ["Reports", "", "1reports", "-r", "rep orts", "x" * 41]:
        bad = await client.post("/fragments", json={"name": name}, headers=registry.admin)
        assert bad.status_code == 422, name
    for name in ["r", "r-2", "x" * 40]:
        good = await client.post("/fragments", json={"name": name}, headers=registry.admin)
        assert good.status_code == 201, name
    reserved = await client.post("/fragments", json={"name": "manifest"}, headers=registry.admin)
    assert reserved.json()["detail"]["code"] == "FRAGMENT_NAME_INVALID"


async def test_a_publisher_publishes_an_immutable_version(registry, client):
    await registry.register("reports")
    body = registry.version_body("1.2.0") | {"css": [], "roles": ["member", "analyst"]}
    response = await client.post(
        "/fragments/reports/versions", json=body, headers=registry.publisher("reports")
    )
    assert response.status_code == 201, response.text
    version = response.json()
    assert version["created_by"] == "client:reports-ci"
    assert version["roles"] == ["analyst", "member"]
    assert version["integrity"] == body["integrity"]

    listed = await client.get("/fragments/reports/versions", headers=registry.admin)
    assert [v["version"] for v in listed.json()] == ["1.2.0"]
    one = await client.get("/fragments/reports/versions/1.2.0", headers=registry.admin)
    assert one.json() == version

    again = await client.post(
        "/fragments/reports/versions",
        json=registry.version_body("1.2.0"),
        headers=registry.publisher("reports"),
    )
    assert again.status_code == 409
    assert again.json()["detail"]["code"] == "VERSION_EXISTS"
    assert (
        await client.get("/fragments/reports/versions/1.2.0", headers=registry.admin)
    ).json() == version
    [entry] = await registry.audit("fragment.version_published")
    assert entry["after"]["version"] == "1.2.0"


async def test_versions_list_in_semver_order(registry, client):
    await registry.register("reports")
    for version in ["1.10.0", "1.2.0", "2.0.0-rc.1", "2.0.0", "1.9.3"]:
        assert (await registry.publish("reports", version)).status_code == 201
    listed = await client.get("/fragments/reports/versions", headers=registry.admin)
    assert [v["version"] for v in listed.json()] == [
        "2.0.0",
        "2.0.0-rc.1",
        "1.10.0",
        "1.9.3",
        "1.2.0",
    ]


async def test_publishing_needs_the_fragments_publisher_role(registry, client):
    await registry.register("reports")
    await registry.register("billing")
    body = registry.version_body("1.0.0")
    refused = await client.post(
        "/fragments/reports/versions", json=body, headers=registry.token("u1", "member")
    )
    assert refused.status_code == 403
    assert refused.json()["detail"]["code"] == "PUBLISHER_ROLE_REQUIRED"
    # Another team's account is not shown "reports" (roles: member): to it, it does not exist.
    hidden = await client.post(
        "/fragments/reports/versions", json=body, headers=registry.publisher("billing")
    )
    assert hidden.status_code == 404
    assert hidden.json()["detail"]["code"] == "FRAGMENT_NOT_FOUND"
    assert (await client.post("/fragments/reports/versions", json=body)).status_code == 401
    by_admin = await client.post("/fragments/reports/versions", json=body, headers=registry.admin)
    assert by_admin.status_code == 201
    missing = await client.post("/fragments/nope/versions", json=body, headers=registry.admin)
    assert missing.json()["detail"]["code"] == "FRAGMENT_NOT_FOUND"


@pytest.mark.parametrize("version", ["1.2", "v1.2.0", "1.2.0.0", "latest", "01.2.0", "1.2.0-"])
async def test_a_version_that_is_not_semver_is_refused(registry, version):
    await registry.register("reports")
    response = await registry.publish("reports", version)
    assert response.status_code == 422
    assert response.json()["detail"]["code"] == "VERSION_NOT_SEMVER"


async def _refused(registry, client, code: str, status: int = 422, **changes):
    body = registry.version_body("1.0.0") | changes
    response = await client.post(
        "/fragments/reports/versions", json=body, headers=registry.publisher("reports")
    )
    assert response.status_code == status, response.text
    assert response.json()["detail"]["code"] == code
    listed = await client.get("/fragments/reports/versions", headers=registry.admin)
    assert listed.json() == [], "a refused version must not be stored"
    return response.json()["detail"]["reason"]


async def test_entries_off_the_allowed_origins_are_refused(registry, client, fragment_host):
    await registry.register("reports")
    path = fragment_host.put(b"x")[0].removeprefix(fragment_host.origin)
    for entry in [
        f"http://evil.example{path}",
        f"https://127.0.0.1:{fragment_host.origin.rsplit(':', 1)[1]}{path}",
        f"http://user:pw@{fragment_host.origin.removeprefix('http://')}{path}",
        f"javascript:alert(1)//{path}",
        path,
    ]:
        reason = await _refused(registry, client, "ENTRY_ORIGIN_NOT_ALLOWED", entry=entry)
        assert fragment_host.origin in reason
    stylesheet = registry.stylesheet() | {"url": "http://evil.example/x.css"}
    await _refused(registry, client, "ASSET_ORIGIN_NOT_ALLOWED", css=[stylesheet])
    await _refused(
        registry, client, "ASSET_ORIGIN_NOT_ALLOWED", preload=["http://evil.example/x.js"]
    )


@pytest.mark.parametrize("declared", ["^1.0.0", ">=1.0.0 <3", "1.x", "*"])
async def test_a_version_built_against_a_range_admitting_the_platform_sdk_is_accepted(
    registry, client, declared
):
    await registry.register("reports")

    response = await registry.publish("reports", "1.0.0", shared={"@platform/sdk": declared})

    assert response.status_code == 201, response.text
    assert response.json()["shared"] == {"@platform/sdk": declared}


@pytest.mark.parametrize(
    ("declared", "said"),
    [("^2.0.0", "provides 1.0.0"), ("<1.0.0", "provides 1.0.0"), ("banana", "not an npm")],
)
async def test_a_version_built_against_another_sdk_is_refused(registry, client, declared, said):
    await registry.register("reports")

    reason = await _refused(
        registry, client, "SDK_INCOMPATIBLE", shared={"@platform/sdk": declared}
    )

    assert said in reason


async def test_in_development_a_fragment_on_any_loopback_port_needs_no_listed_origin(
    registry, client, settings
):
    # A fragment created with `make new-fragment` is served on a port no setting names.
    settings.fragment_allowed_origins.clear()
    await registry.register("reports")

    response = await registry.publish("reports", "1.0.0")

    assert response.status_code == 201, response.text


async def test_outside_development_only_listed_origins_are_accepted(registry, client, settings):
    settings.fragment_allowed_origins.clear()
    settings.environment = "production"
    await registry.register("reports")

    reason = await _refused(registry, client, "ENTRY_ORIGIN_NOT_ALLOWED")

    assert "loopback" not in reason


async def test_the_entry_is_fetched_and_must_match_the_declared_integrity(
    registry, client, fragment_host
):
    await registry.register("reports")
    entry, _ = fragment_host.put(b"export const served = 1;")
    _, other = fragment_host.put(b"export const declared = 1;")
    before = len(fragment_host.requests)
    reason = await _refused(registry, client, "INTEGRITY_MISMATCH", entry=entry, integrity=other)
    assert other in reason
    assert fragment_host.requests[before:] == [entry.removeprefix(fragment_host.origin)]
    await _refused(registry, client, "INTEGRITY_MALFORMED", integrity="sha256-abc")
    await _refused(registry, client, "INTEGRITY_MALFORMED", integrity="sha384-" + "A" * 10)


async def test_each_stylesheet_is_stored_with_the_integrity_its_bytes_match(registry, client):
    await registry.register("reports")
    sheets = [registry.stylesheet(b".a{color:red}"), registry.stylesheet(b".b{color:blue}")]
    body = registry.version_body("1.0.0") | {"css": sheets}
    response = await client.post(
        "/fragments/reports/versions", json=body, headers=registry.publisher("reports")
    )
    assert response.status_code == 201, response.text
    assert response.json()["css"] == sheets
    stored = await client.get("/fragments/reports/versions/1.0.0", headers=registry.admin)
    assert stored.json()["css"] == sheets


async def test_a_stylesheet_whose_bytes_differ_from_its_integrity_is_refused(
    registry, client, fragment_host
):
    await registry.register("reports")
    served = registry.stylesheet(b".report{color:teal}")
    declared = registry.stylesheet(b"body{background:url(//evil.example/?leak)}")["integrity"]
    tampered = {"url": served["url"], "integrity": declared}
    before = len(fragment_host.requests)
    reason = await _refused(
        registry, client, "INTEGRITY_MISMATCH", css=[registry.stylesheet(), tampered]
    )
    assert served["url"] in reason and declared in reason
    # The entry and every stylesheet up to the mismatch were fetched, once each.
    assert fragment_host.requests[before:][-1] == served["url"].removeprefix(fragment_host.origin)
    assert len(fragment_host.requests[before:]) == 3


async def test_a_stylesheet_integrity_must_be_sha384(registry, client):
    await registry.register("reports")
    sheet = registry.stylesheet()
    for integrity in ["sha256-abc", "sha384-" + "A" * 10, ""]:
        reason = await _refused(
            registry, client, "INTEGRITY_MALFORMED", css=[sheet | {"integrity": integrity}]
        )
        assert sheet["url"] in reason


async def test_an_unreachable_or_oversized_stylesheet_is_refused(
    registry, client, fragment_host, settings
):
    await registry.register("reports")
    missing = {
        "url": f"{fragment_host.origin}/nothing/entry.css",
        "integrity": "sha384-" + "A" * 64,
    }
    reason = await _refused(registry, client, "STYLESHEET_UNREACHABLE", css=[missing])
    assert "404" in reason and missing["url"] in reason
    moved, _ = fragment_host.put(b"", status=302, headers={"Location": "http://evil.example/"})
    redirected = {"url": moved, "integrity": "sha384-" + "A" * 64}
    assert "302" in await _refused(registry, client, "STYLESHEET_UNREACHABLE", css=[redirected])

    big = registry.stylesheet(b"." + b"x" * 2_000 + b"{}")
    settings.fragment_entry_max_bytes = 1_000
    await _refused(registry, client, "STYLESHEET_TOO_LARGE", css=[big])


async def test_an_unreachable_entry_is_refused(registry, client, fragment_host):
    await registry.register("reports")
    missing = f"{fragment_host.origin}/nothing/here.js"
    assert "404" in await _refused(registry, client, "ENTRY_UNREACHABLE", entry=missing)
    moved, _ = fragment_host.put(b"", status=302, headers={"Location": "http://evil.example/"})
    assert "302" in await _refused(registry, client, "ENTRY_UNREACHABLE", entry=moved)
    broken, _ = fragment_host.put(b"oops", status=500)
    await _refused(registry, client, "ENTRY_UNREACHABLE", entry=broken)


async def test_an_entry_nobody_listens_for_is_refused(registry, client, settings):
    from conftest import free_port

    await registry.register("reports")
    dead_origin = f"http://127.0.0.1:{free_port()}"
    settings.fragment_allowed_origins.append(dead_origin)
    await _refused(registry, client, "ENTRY_UNREACHABLE", entry=f"{dead_origin}/entry.js")


async def test_an_unsupported_contract_version_is_refused(registry, client):
    await registry.register("reports")
    reason = await _refused(registry, client, "CONTRACT_UNSUPPORTED", contract="2")
    assert "supported: 1" in reason


@pytest.mark.parametrize(
    "route",
    [
        "reports",
        "/reports/",
        "/re ports",
        "/a/*/b",
        "/*/x",
        "",
        # Not normalized: a browser or proxy would read them as another path.
        "/../x",
        "/reports/../api/core/*",
        "/reports/./x",
        "/.",
        "//reports",
        "/reports//x",
        "/reports\\x",
        "\\reports",
        "/%2e%2e/x",
        "/reports%2Fx",
        "/reports\n",
        "/reports/*\n",
        "/reports/*x",
        "/reports?x=1",
        "/reports#x",
        "/rep\u00f6rts",
    ],
)
async def test_malformed_routes_are_refused(registry, client, route):
    await registry.register("reports")
    reason = await _refused(registry, client, "ROUTE_INVALID", routes=[route])
    assert repr(route) in reason


@pytest.mark.parametrize(
    ("route", "platform_path"),
    [
        ("/", "/"),
        ("/*", "/"),
        ("/api/core/*", "/api"),
        ("/api", "/api"),
        ("/API/core", "/api"),
        ("/shell/*", "/shell"),
        ("/shell/app.js", "/shell"),
        ("/login", "/login"),
        ("/login/*", "/login"),
        ("/register", "/register"),
        ("/forgot-password", "/forgot-password"),
        ("/reset-password/x", "/reset-password"),
        ("/verify", "/verify"),
        ("/account/*", "/account"),
        ("/docs", "/docs"),
        ("/docs/oauth2-redirect", "/docs"),
        ("/redoc", "/redoc"),
        ("/openapi.json", "/openapi.json"),
        ("/healthz", "/healthz"),
        ("/readyz", "/readyz"),
        ("/metrics", "/metrics"),
        ("/robots.txt", "/robots.txt"),
        ("/.well-known/*", "/.well-known"),
        ("/fragments/*", "/fragments"),
    ],
)
async def test_routes_overlapping_the_platforms_own_paths_are_refused(
    registry, client, route, platform_path
):
    await registry.register("reports")
    reason = await _refused(registry, client, "ROUTE_RESERVED", routes=["/reports/*", route])
    assert repr(route) in reason and repr(platform_path) in reason


async def test_routes_beside_the_platforms_paths_are_accepted(registry):
    await registry.register("reports")
    routes = ["/reports/*", "/apis", "/login-help", "/docsite/*", "/shells", "/metrics-board"]
    assert (await registry.publish("reports", "1.0.0", routes=routes)).status_code == 201


async def test_schema_errors_are_422_and_store_nothing(registry, client):
    await registry.register("reports")
    good = registry.version_body("1.0.0")
    for broken in [
        {k: v for k, v in good.items() if k != "entry"},
        good | {"routes": []},
        good | {"nav": {"label": ""}},
        good | {"roles": []},
        good | {"css": "x.css"},
        # Plain URLs, as before stylesheets were pinned, or an item without its integrity.
        good | {"css": [registry.stylesheet()["url"]]},
        good | {"css": [{"url": registry.stylesheet()["url"]}]},
    ]:
        response = await client.post(
            "/fragments/reports/versions", json=broken, headers=registry.publisher("reports")
        )
        assert response.status_code == 422, broken
    assert (await client.get("/fragments/reports/versions", headers=registry.admin)).json() == []


async def test_routes_may_not_collide_with_another_enabled_fragment(registry, client):
    await registry.live("reports", "1.0.0")
    await registry.register("billing")
    for routes, clash in [
        (["/reports/*"], "/reports/*"),
        (["/reports"], "/reports"),
        (["/reports/monthly"], "/reports/monthly"),
    ]:
        response = await registry.publish("billing", "1.0.0", routes=routes)
        assert response.status_code == 409, routes
        detail = response.json()["detail"]
        assert detail["code"] == "ROUTE_COLLISION"
        assert clash in detail["reason"] and "'reports'" in detail["reason"]
    assert (
        await registry.publish("billing", "1.0.0", routes=["/billing/*", "/report"])
    ).status_code == 201

    # A disabled fragment's routes are free again.
    assert (await registry.act("reports", "disable")).status_code == 200
    assert (await registry.publish("billing", "1.1.0", routes=["/reports/*"])).status_code == 201


async def test_unknown_fields_are_refused_and_nothing_is_published(registry, client):
    await registry.register("reports")
    body = registry.version_body("1.0.0") | {"entry_url": "http://typo.example/x.js"}
    refused = await client.post(
        "/fragments/reports/versions", json=body, headers=registry.publisher("reports")
    )
    assert refused.status_code == 422
    nav_typo = registry.version_body("1.0.0") | {"nav": {"label": "R", "ordr": 1}}
    refused = await client.post(
        "/fragments/reports/versions", json=nav_typo, headers=registry.publisher("reports")
    )
    assert refused.status_code == 422
    canary_typo = await registry.act("reports", "canary", {"version": "1.0.0", "percent": 10})
    assert canary_typo.status_code == 422
    versions = await client.get("/fragments/reports/versions", headers=registry.admin)
    assert versions.json() == []
