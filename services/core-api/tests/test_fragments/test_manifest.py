"""The manifest a shell loads: role-filtered, one version per fragment, sticky canary sides,
public without a token, cacheable by ETag and never stale by more than a second."""

import asyncio

from structlog.testing import capture_logs

from core_api.events import EventBus
from core_api.models import utc_now
from core_api.registry.models import FragmentVersion
from core_api.registry.service import Registry
from platform_common.tokens import Principal

ADMIN = Principal(subject="admin-2", roles=frozenset({"admin"}), token_id="t", expires_at=0)


async def test_the_manifest_follows_the_contract(registry):
    await registry.register("reports", roles=["public"])
    body = registry.version_body("1.2.0")
    body |= {"css": [registry.stylesheet()], "preload": []}
    response = await registry.client.post(
        "/fragments/reports/versions", json=body, headers=registry.publisher("reports")
    )
    assert response.status_code == 201
    await registry.act("reports", "activate", {"version": "1.2.0"})

    assert await registry.manifest() == {
        "contract": "1",
        "shared": {"react": "^19.2.0", "react-dom": "^19.2.0", "@platform/sdk": "1.0.0"},
        "fragments": [
            {
                "name": "reports",
                "version": "1.2.0",
                "origin": registry.host.origin,
                "entry": body["entry"],
                "integrity": body["integrity"],
                "css": body["css"],
                "preload": [],
                "routes": ["/reports/*"],
                "nav": {"label": "Reports", "icon": "chart", "order": 10},
                "canary": False,
            }
        ],
    }


async def test_stylesheets_stored_before_they_carried_integrity_are_not_served(registry, client):
    # A version published before stylesheets were pinned lists plain URLs in `css`.
    await registry.register("reports", roles=["public"])
    body = registry.version_body("1.0.0")
    legacy_css = f"{registry.host.origin}/1.0.0/entry.css"
    await FragmentVersion.get_pymongo_collection().insert_one(
        {k: v for k, v in body.items() if k != "version"}
        | {
            "fragment": "reports",
            "version": "1.0.0",
            "css": [legacy_css],
            "preload": [],
            "roles": ["public"],
            "created_by": "client:reports-ci",
            "created_at": utc_now(),
        }
    )
    assert (await registry.act("reports", "activate", {"version": "1.0.0"})).status_code == 200

    with capture_logs() as logs:
        [entry] = (await registry.manifest())["fragments"]
    # Served, but never with CSS nobody verified; the operators are told to republish.
    assert entry["version"] == "1.0.0"
    assert entry["css"] == []
    # Stored before versions recorded their origin either: its entry's is its origin.
    assert entry["origin"] == registry.host.origin
    [warning] = [log for log in logs if log["log_level"] == "warning"]
    assert warning["fragment"] == "reports" and warning["stylesheets"] == [legacy_css]
    stored = await client.get("/fragments/reports/versions/1.0.0", headers=registry.admin)
    assert stored.status_code == 200
    assert stored.json()["css"] == [{"url": legacy_css, "integrity": None}]


async def test_fragments_are_filtered_by_the_callers_roles(registry):
    await registry.register("home", roles=["public"])
    await registry.publish("home", "1.0.0", routes=["/home"])
    await registry.act("home", "activate", {"version": "1.0.0"})
    await registry.register("reports", roles=["member"])
    await registry.publish("reports", "1.0.0", routes=["/reports/*"])
    await registry.act("reports", "activate", {"version": "1.0.0"})
    await registry.register("admin", roles=["admin"])
    await registry.publish("admin", "1.0.0", routes=["/admin/*"])
    await registry.act("admin", "activate", {"version": "1.0.0"})
    await registry.register("draft")  # never activated
    await registry.publish("draft", "1.0.0", routes=["/draft/*"])

    async def names(headers=None):
        return [f["name"] for f in (await registry.manifest(headers))["fragments"]]

    assert await names() == ["home"]
    assert await names(registry.token("u1", "member")) == ["home", "reports"]
    assert await names(registry.token("a1", "admin")) == ["admin", "home"]
    assert await names(registry.token("a2", "admin", "member")) == ["admin", "home", "reports"]

    await registry.act("reports", "disable")
    assert await names(registry.token("u1", "member")) == ["home"]


async def test_a_versions_own_roles_decide_who_sees_it(registry):
    await registry.register("reports", roles=["member"])
    await registry.publish("reports", "1.0.0", roles=["analyst"])
    await registry.act("reports", "activate", {"version": "1.0.0"})
    assert (await registry.manifest(registry.token("u1", "member")))["fragments"] == []
    assert len((await registry.manifest(registry.token("u2", "analyst")))["fragments"]) == 1


async def test_a_bad_token_is_refused_rather_than_treated_as_anonymous(registry, client):
    response = await client.get(
        "/fragments/manifest", headers={"Authorization": "Bearer not-a-jwt"}
    )
    assert response.status_code == 401
    assert response.json()["detail"]["code"] == "TOKEN_MALFORMED"


async def test_etag_revalidation_and_no_long_caching(registry, client):
    await registry.register("reports", roles=["public"])
    await registry.publish("reports", "1.0.0")
    await registry.publish("reports", "1.1.0")
    await registry.act("reports", "activate", {"version": "1.0.0"})
    first = await client.get("/fragments/manifest")
    etag = first.headers["etag"]
    assert first.headers["cache-control"] == "no-cache"
    assert "Authorization" in first.headers["vary"]

    unchanged = await client.get("/fragments/manifest", headers={"If-None-Match": etag})
    assert unchanged.status_code == 304
    assert unchanged.content == b""
    assert unchanged.headers["etag"] == etag

    await registry.act("reports", "activate", {"version": "1.1.0"})
    changed = await client.get("/fragments/manifest", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.headers["etag"] != etag
    assert changed.json()["fragments"][0]["version"] == "1.1.0"


async def test_another_process_sees_an_activation_within_a_second(registry, core_app):
    """Each core-api process keeps its own short-lived snapshot of the registry: a change
    made through another process (here a second registry over the same store) shows in
    this one's manifest within one second."""
    await registry.register("reports", roles=["public"])
    await registry.publish("reports", "1.0.0")
    await registry.publish("reports", "1.1.0")
    await registry.act("reports", "activate", {"version": "1.0.0"})
    ours = core_app.state.registry
    other_process = Registry(ours.settings, ours.http, EventBus(), ours.claims)

    async def live_version():
        return (await registry.manifest())["fragments"][0]["version"]

    assert await live_version() == "1.0.0"
    await other_process.activate(ADMIN, "reports", "1.1.0")
    await asyncio.sleep(1.0)
    assert await live_version() == "1.1.0"


async def test_canary_users_are_sticky_and_near_the_percentage(registry):
    """1,000 users against a 30% canary: each sees the same side on every load, and the
    canary's share is within 5 points of 30%."""
    await registry.live("reports", "1.0.0", "1.1.0")
    await registry.act("reports", "canary", {"version": "1.1.0", "percentage": 30})

    sides = {}
    for number in range(1000):
        user = registry.token(f"user-{number}", "member")
        [fragment] = (await registry.manifest(user))["fragments"]
        assert fragment["canary"] == (fragment["version"] == "1.1.0")
        sides[number] = fragment["version"]
        if number % 50 == 0:
            again = (await registry.manifest(user))["fragments"][0]["version"]
            assert again == sides[number], "a user must stay on their side"
    share = sum(v == "1.1.0" for v in sides.values()) / 10
    assert 25 <= share <= 35, share

    # Raising the percentage only adds users: nobody on the canary goes back.
    await registry.act("reports", "canary", {"version": "1.1.0", "percentage": 60})
    for number in [n for n, v in sides.items() if v == "1.1.0"][:40]:
        user = registry.token(f"user-{number}", "member")
        assert (await registry.manifest(user))["fragments"][0]["version"] == "1.1.0"


async def test_anonymous_visitors_always_get_the_active_version(registry):
    await registry.register("reports", roles=["public"])
    await registry.publish("reports", "1.0.0")
    await registry.publish("reports", "1.1.0")
    await registry.act("reports", "activate", {"version": "1.0.0"})
    await registry.act("reports", "canary", {"version": "1.1.0", "percentage": 100})
    assert (await registry.manifest())["fragments"][0]["version"] == "1.0.0"
    member = registry.token("u1", "member")
    assert (await registry.manifest(member))["fragments"][0]["version"] == "1.1.0"


async def test_a_canary_the_user_may_not_see_falls_back_to_the_active_version(registry):
    await registry.live("reports", "1.0.0")
    await registry.publish("reports", "1.1.0", roles=["beta"])
    await registry.act("reports", "canary", {"version": "1.1.0", "percentage": 100})
    member = registry.token("u1", "member")
    assert (await registry.manifest(member))["fragments"][0]["version"] == "1.0.0"
    beta = registry.token("u2", "member", "beta")
    assert (await registry.manifest(beta))["fragments"][0]["version"] == "1.1.0"
