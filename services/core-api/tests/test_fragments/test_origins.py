"""Where a fragment's files may come from: the platform's policy (CORE_FRAGMENT_ALLOWED_ORIGINS,
loopback in development) or the origins an admin registered on the fragment, recorded per
version at publish and served in the manifest (the gateway's CSP names exactly those)."""

import pytest

from platform_common.manifest_contract import Manifest


async def put_origins(registry, name: str, origins: list[str], headers=None):
    return await registry.client.put(
        f"/fragments/{name}/origins",
        json={"origins": origins},
        headers=registry.admin if headers is None else headers,
    )


async def publish_from(registry, host, version: str = "1.0.0", **changes):
    entry, integrity = host.put(f"export const v = '{version}';".encode())
    body = registry.version_body(version) | {"entry": entry, "integrity": integrity} | changes
    return await registry.client.post(
        "/fragments/reports/versions", json=body, headers=registry.publisher("reports")
    )


async def test_a_version_records_its_origin_and_the_manifest_serves_it(registry, fragment_host):
    await registry.live("reports", "1.0.0")

    [version] = (
        await registry.client.get("/fragments/reports/versions", headers=registry.admin)
    ).json()
    [entry] = (await registry.manifest(registry.token("user-1", "member")))["fragments"]

    assert version["origin"] == fragment_host.origin
    assert entry["origin"] == fragment_host.origin
    assert entry["entry"].startswith(f"{fragment_host.origin}/")


async def test_a_team_on_its_own_cdn_publishes_once_an_admin_registers_its_origin(
    registry, team_cdn, emitted
):
    await registry.register("reports")
    refused = await publish_from(registry, team_cdn)
    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"]["code"] == "ENTRY_ORIGIN_NOT_ALLOWED"
    assert "the fragment's own: none" in refused.json()["detail"]["reason"]

    changed = await put_origins(registry, "reports", [team_cdn.origin])
    assert changed.status_code == 200, changed.text
    assert changed.json()["origins"] == [team_cdn.origin]

    published = await publish_from(registry, team_cdn)
    assert published.status_code == 201, published.text
    assert published.json()["origin"] == team_cdn.origin
    assert (await registry.act("reports", "activate", {"version": "1.0.0"})).status_code == 200
    [entry] = (await registry.manifest(registry.token("user-1", "member")))["fragments"]
    assert entry["origin"] == team_cdn.origin
    Manifest.model_validate(await registry.manifest(registry.token("user-1", "member")))

    [audited] = await registry.audit("fragment.origins_changed")
    assert (audited["actor"], audited["target_id"]) == ("admin-1", "reports")
    assert (audited["before"]["origins"], audited["after"]["origins"]) == ([], [team_cdn.origin])
    changes = [data for kind, data in emitted() if kind == "fragment.origins_changed"]
    assert [data["origins"] for data in changes] == [[team_cdn.origin]]


async def test_another_fragments_origin_admits_nothing_for_this_one(registry, team_cdn):
    await registry.register("reports")
    await registry.register("billing")
    assert (await put_origins(registry, "billing", [team_cdn.origin])).status_code == 200

    refused = await publish_from(registry, team_cdn)

    assert refused.status_code == 422
    assert refused.json()["detail"]["code"] == "ENTRY_ORIGIN_NOT_ALLOWED"


async def test_a_versions_files_must_all_be_on_its_entrys_origin(registry, fragment_host, team_cdn):
    await registry.register("reports")
    await put_origins(registry, "reports", [team_cdn.origin])
    sheet_url, sheet_integrity = fragment_host.put(b".r{}", file="entry.css")

    for changes in [
        {"css": [{"url": sheet_url, "integrity": sheet_integrity}]},
        {"preload": [f"{fragment_host.origin}/chunk.js"]},
    ]:
        refused = await publish_from(registry, team_cdn, **changes)
        assert refused.status_code == 422, changes
        assert refused.json()["detail"]["code"] == "ASSET_ORIGIN_NOT_ALLOWED"
        assert team_cdn.origin in refused.json()["detail"]["reason"]


async def test_removing_an_origin_takes_its_versions_off_the_pages(registry, team_cdn):
    await registry.register("reports")
    await put_origins(registry, "reports", [team_cdn.origin])
    assert (await publish_from(registry, team_cdn)).status_code == 201
    await registry.act("reports", "activate", {"version": "1.0.0"})
    assert [
        f["name"]
        for f in (await registry.manifest(registry.token("user-1", "member")))["fragments"]
    ] == ["reports"]

    assert (await put_origins(registry, "reports", [])).status_code == 200

    assert (await registry.manifest(registry.token("user-1", "member")))["fragments"] == []
    refused = await publish_from(registry, team_cdn, version="1.1.0")
    assert refused.json()["detail"]["code"] == "ENTRY_ORIGIN_NOT_ALLOWED"


async def test_a_canary_off_the_admitted_origins_falls_back_to_the_active_version(
    registry, fragment_host, team_cdn
):
    await registry.live("reports", "1.0.0")
    await put_origins(registry, "reports", [team_cdn.origin])
    assert (await publish_from(registry, team_cdn, version="2.0.0")).status_code == 201
    await registry.act("reports", "canary", {"version": "2.0.0", "percentage": 100})
    [canary] = (await registry.manifest(registry.token("user-1", "member")))["fragments"]
    assert (canary["version"], canary["origin"]) == ("2.0.0", team_cdn.origin)

    await put_origins(registry, "reports", [])

    [served] = (await registry.manifest(registry.token("user-1", "member")))["fragments"]
    assert (served["version"], served["origin"]) == ("1.0.0", fragment_host.origin)


async def test_only_admins_change_a_fragments_origins(registry, client):
    await registry.register("reports")

    refused = await put_origins(
        registry, "reports", ["https://cdn.example.com"], registry.publisher("reports")
    )
    anonymous = await client.put("/fragments/reports/origins", json={"origins": []})

    assert refused.status_code == 403
    assert refused.json()["detail"]["code"] == "ADMIN_REQUIRED"
    assert anonymous.status_code == 401
    fragment = (await client.get("/fragments/reports", headers=registry.admin)).json()
    assert fragment["origins"] == []
    assert await registry.audit("fragment.origins_changed") == []


async def test_origins_are_stored_normalized_sorted_and_once(registry):
    await registry.register("reports")

    changed = await put_origins(
        registry,
        "reports",
        ["HTTPS://CDN.Example.com:443/", "https://a.example.com", "https://cdn.example.com"],
    )

    assert changed.json()["origins"] == ["https://a.example.com", "https://cdn.example.com"]
    again = await put_origins(
        registry, "reports", ["https://cdn.example.com/", "https://a.example.com"]
    )
    assert again.json()["updated_at"] == changed.json()["updated_at"], "no change, no write"
    assert len(await registry.audit("fragment.origins_changed")) == 1


@pytest.mark.parametrize(
    "origin",
    [
        "https://cdn.example.com/reports",
        "https://cdn.example.com/?v=1",
        "https://cdn.example.com/#x",
        "https://user:pw@cdn.example.com",
        "https://*.example.com",
        "ftp://cdn.example.com",
        "cdn.example.com",
        "javascript:alert(1)",
        "https://cdn.example.com;script-src *",
    ],
)
async def test_anything_but_an_origin_is_refused(registry, origin):
    await registry.register("reports")

    refused = await put_origins(registry, "reports", ["https://ok.example.com", origin])

    assert refused.status_code == 422, refused.text
    assert refused.json()["detail"]["code"] == "ORIGIN_INVALID"
    fragment = (await registry.client.get("/fragments/reports", headers=registry.admin)).json()
    assert fragment["origins"] == []


async def test_outside_development_origins_must_be_https(registry, settings):
    await registry.register("reports")
    settings.environment = "production"

    refused = await put_origins(registry, "reports", ["http://cdn.example.com"])
    accepted = await put_origins(registry, "reports", ["https://cdn.example.com"])

    assert refused.status_code == 422
    assert refused.json()["detail"]["code"] == "ORIGIN_INVALID"
    assert "https" in refused.json()["detail"]["reason"]
    assert accepted.status_code == 200, accepted.text


async def test_the_body_is_checked_and_the_fragment_must_exist(registry):
    await registry.register("reports")
    too_many = [f"https://cdn{i}.example.com" for i in range(21)]

    for body in [{"origins": too_many}, {"origins": "https://x.example"}, {}, {"origin": []}]:
        response = await registry.client.put(
            "/fragments/reports/origins", json=body, headers=registry.admin
        )
        assert response.status_code == 422, body
    missing = await put_origins(registry, "nothing", [])
    assert missing.status_code == 404
    assert missing.json()["detail"]["code"] == "FRAGMENT_NOT_FOUND"


async def test_an_override_may_point_at_the_fragments_registered_origin(registry, team_cdn):
    await registry.register("reports")
    await put_origins(registry, "reports", [team_cdn.origin])
    assert (await publish_from(registry, team_cdn)).status_code == 201
    await registry.act("reports", "activate", {"version": "1.0.0"})
    developer = registry.token("dev-7", "member", "publisher:reports")

    issued = await registry.client.post(
        "/fragments/reports/overrides", json={"origin": team_cdn.origin}, headers=developer
    )
    await put_origins(registry, "reports", [])
    refused = await registry.client.post(
        "/fragments/reports/overrides", json={"origin": team_cdn.origin}, headers=developer
    )

    assert issued.status_code == 201, issued.text
    assert refused.status_code == 422
    assert refused.json()["detail"]["code"] == "OVERRIDE_ORIGIN_INVALID"
