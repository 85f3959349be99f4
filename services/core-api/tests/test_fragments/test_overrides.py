"""Local overrides: signed, expiring tokens naming fragment, origin and user, issued by an
admin or the fragment's publisher, applied to that user's manifest only, use audited."""

import time
from datetime import timedelta

import jwt

from core_api.models import utc_now
from core_api.registry.models import OverrideGrant
from core_api.registry.settings import DEVELOPMENT_SIGNING_KEY

DEV = "dev-7"


def _developer_publisher(registry):
    """A developer holding the fragment's publisher role: issues overrides for themselves."""
    return registry.token(DEV, "member", "publisher:reports")


async def _issue(registry, headers=None, **body):
    body = {"origin": "http://localhost:5173", "subject": DEV} | body
    return await registry.client.post(
        "/fragments/reports/overrides",
        json=body,
        headers=headers or _developer_publisher(registry),
    )


async def test_the_publisher_issues_a_token_that_swaps_the_entry_for_its_user(registry):
    await registry.live("reports", "1.0.0")
    issued = await _issue(registry, ttl_s=600)
    assert issued.status_code == 201, issued.text
    grant = issued.json()
    assert (grant["fragment"], grant["origin"], grant["entry"]) == (
        "reports",
        "http://localhost:5173",
        "http://localhost:5173/entry.js",
    )
    claims = jwt.decode(grant["token"], options={"verify_signature": False})
    assert (claims["fragment"], claims["sub"]) == ("reports", DEV)
    assert 590 <= claims["exp"] - time.time() <= 600
    [entry] = await registry.audit("fragment.override_issued")
    assert entry["actor"] == DEV

    developer = registry.token(DEV, "member")
    manifest = await registry.manifest(developer, override=grant["token"])
    [fragment] = manifest["fragments"]
    assert fragment["entry"] == "http://localhost:5173/entry.js"
    assert fragment["integrity"] is None
    assert fragment["override"] is True
    assert fragment["routes"] == ["/reports/*"]
    assert (await registry.manifest(developer))["fragments"][0]["entry"].startswith(
        registry.host.origin
    ), "without the token the registry's version is served"

    await registry.manifest(developer, override=grant["token"])
    [used] = await registry.audit("fragment.override_used")
    assert used["actor"] == DEV
    listed = await registry.client.get("/fragments/reports/overrides", headers=registry.admin)
    assert listed.json()[0]["uses"] == 2


async def test_a_fragment_never_activated_gets_no_override_but_a_reason(registry):
    await registry.register("reports")
    assert (await registry.publish("reports", "1.0.0")).status_code == 201

    refused = await _issue(registry)

    assert refused.status_code == 409
    assert refused.json()["detail"]["code"] == "NO_ACTIVE_VERSION"
    assert "publish and activate" in refused.json()["detail"]["reason"]
    assert (
        await registry.client.get("/fragments/reports/overrides", headers=registry.admin)
    ).json() == []


async def test_only_admins_and_the_publisher_issue_tokens(registry):
    await registry.live("reports", "1.0.0")
    await registry.register("billing")
    refused = await _issue(registry, registry.token(DEV, "member"))
    assert refused.status_code == 403
    assert refused.json()["detail"]["code"] == "PUBLISHER_ROLE_REQUIRED"
    hidden = await _issue(registry, registry.publisher("billing"))
    assert hidden.status_code == 404
    assert hidden.json()["detail"]["code"] == "FRAGMENT_NOT_FOUND"
    assert (await _issue(registry, registry.admin)).status_code == 201


async def test_a_publisher_issues_overrides_for_themselves_only(registry):
    await registry.live("reports", "1.0.0")
    for publisher, subject in [
        (_developer_publisher(registry), "victim-1"),
        (registry.publisher("reports"), DEV),
        (registry.publisher("reports"), "victim-1"),
    ]:
        refused = await _issue(registry, publisher, subject=subject)
        assert refused.status_code == 403, subject
        assert refused.json()["detail"]["code"] == "OVERRIDE_SUBJECT_FORBIDDEN"
    assert await registry.audit("fragment.override_issued") == [], "nothing issued"

    own = await _issue(registry, _developer_publisher(registry), subject=None)
    assert own.status_code == 201, own.text
    assert own.json()["subject"] == DEV

    for_another = await _issue(registry, registry.admin, subject="victim-1")
    assert for_another.status_code == 201, for_another.text
    entries = await registry.audit("fragment.override_issued")
    assert [(e["actor"], e["after"]["subject"]) for e in entries] == [
        ("admin-1", "victim-1"),
        (DEV, DEV),
    ]
    assert entries[0]["after"]["subject_email"] == "victim-1@example.com"
    assert "subject_email" not in entries[1]["after"], "one's own override needs no look-up"


async def test_an_admin_issues_overrides_only_for_known_active_users(
    registry, principals, auth_users
):
    await registry.live("reports", "1.0.0")
    principals.known = {DEV, "client:reports-ci"}
    for subject in ["ghost-1", "client:reports-ci"]:
        refused = await _issue(registry, registry.admin, subject=subject)
        assert refused.status_code == 404, subject
        assert refused.json()["detail"]["code"] == "OVERRIDE_SUBJECT_UNKNOWN"
    admin = registry.admin
    assert (await _issue(registry, admin, subject=DEV)).status_code == 201
    assert auth_users.tokens == [admin["Authorization"]], "read with the admin's rights"

    auth_users.broken = True
    no_email = await _issue(registry, registry.admin, subject=DEV)
    assert no_email.status_code == 503
    assert no_email.json()["detail"]["code"] == "OVERRIDE_SUBJECT_CHECK_UNAVAILABLE"
    principals.unreachable = True
    unavailable = await _issue(registry, registry.admin, subject=DEV)
    assert unavailable.status_code == 503
    assert unavailable.json()["detail"]["code"] == "OVERRIDE_SUBJECT_CHECK_UNAVAILABLE"
    assert (await _issue(registry)).status_code == 201, "issuing for oneself asks nobody"
    assert len(await registry.audit("fragment.override_issued")) == 2


async def test_origins_must_be_loopback_or_allowed(registry):
    await registry.live("reports", "1.0.0")
    for origin in ["http://evil.example", "ftp://localhost", "localhost:5173", "http://10.0.0.1"]:
        refused = await _issue(registry, origin=origin)
        assert refused.status_code == 422, origin
        assert refused.json()["detail"]["code"] == "OVERRIDE_ORIGIN_INVALID"
    off = await _issue(registry, entry="http://evil.example/entry.js")
    assert off.json()["detail"]["code"] == "OVERRIDE_ORIGIN_INVALID"
    for origin in ["http://127.0.0.1:5173", "http://[::1]:5173", registry.host.origin]:
        assert (await _issue(registry, origin=origin)).status_code == 201, origin
    assert (await _issue(registry, ttl_s=10)).status_code == 422


async def test_the_overrides_stylesheets_replace_the_published_ones_without_integrity(registry):
    await registry.register("reports")
    published = registry.stylesheet()
    assert (await registry.publish("reports", "1.0.0", css=[published])).status_code == 201
    assert (await registry.act("reports", "activate", {"version": "1.0.0"})).status_code == 200
    local_css = ["http://localhost:5173/entry.css", "http://localhost:5173/chunk.css"]
    issued = await _issue(registry, css=local_css)
    assert issued.status_code == 201, issued.text
    assert issued.json()["css"] == local_css
    claims = jwt.decode(issued.json()["token"], options={"verify_signature": False})
    assert claims["css"] == local_css

    developer = registry.token(DEV, "member")
    [overridden] = (await registry.manifest(developer, override=issued.json()["token"]))[
        "fragments"
    ]
    assert overridden["css"] == [{"url": url, "integrity": None} for url in local_css]
    [normal] = (await registry.manifest(developer))["fragments"]
    assert normal["css"] == [published], "everyone else keeps the pinned stylesheets"

    [without_css] = (
        await registry.manifest(developer, override=(await _issue(registry)).json()["token"])
    )["fragments"]
    assert without_css["css"] == []


async def test_the_overrides_stylesheets_must_be_on_its_origin(registry):
    await registry.live("reports", "1.0.0")
    for url in [
        "http://evil.example/entry.css",
        "http://127.0.0.1:5173/entry.css",  # loopback, but another origin than the entry's
        "http://localhost:5174/entry.css",
        "javascript:alert(1)",
        "/entry.css",
        "http://user@localhost:5173/entry.css",
    ]:
        refused = await _issue(registry, css=["http://localhost:5173/entry.css", url])
        assert refused.status_code == 422, url
        assert refused.json()["detail"]["code"] == "OVERRIDE_ORIGIN_INVALID", url
    too_many = await _issue(registry, css=[f"http://localhost:5173/{n}.css" for n in range(21)])
    assert too_many.status_code == 422
    assert await registry.audit("fragment.override_issued") == [], "nothing issued"


async def test_the_ttl_is_capped(registry, settings):
    await registry.live("reports", "1.0.0")
    token = (await _issue(registry, ttl_s=10**9)).json()["token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert claims["exp"] - claims["iat"] == settings.fragment_override_max_ttl_s


async def _manifest_error(registry, token, headers):
    response = await registry.client.get(
        "/fragments/manifest", params={"override": token}, headers=headers
    )
    assert response.status_code == 403, response.text
    return response.json()["detail"]["code"]


async def test_a_manifest_takes_at_most_ten_override_tokens(registry):
    await registry.live("reports", "1.0.0")
    token = (await _issue(registry)).json()["token"]
    headers = _developer_publisher(registry)
    ten = await registry.client.get(
        "/fragments/manifest", params={"override": [token] * 10}, headers=headers
    )
    eleven = await registry.client.get(
        "/fragments/manifest", params={"override": [token] * 11}, headers=headers
    )
    assert ten.status_code == 200, ten.text
    assert eleven.status_code == 422
    assert eleven.json()["detail"] == {
        "code": "OVERRIDE_INVALID",
        "reason": "At most 10 override tokens at once",
    }


async def test_a_token_works_only_for_its_user_and_until_revoked(registry):
    await registry.live("reports", "1.0.0")
    grant = (await _issue(registry)).json()
    token = grant["token"]
    someone_else = registry.token("someone-else", "member")
    assert await _manifest_error(registry, token, someone_else) == "OVERRIDE_NOT_YOURS"
    assert await _manifest_error(registry, token, None) == "OVERRIDE_NOT_YOURS"

    revoked = await registry.client.delete(
        f"/fragments/reports/overrides/{grant['token_id']}", headers=registry.publisher("reports")
    )
    assert revoked.json()["revoked_at"] is not None
    developer = registry.token(DEV, "member")
    assert await _manifest_error(registry, token, developer) == "OVERRIDE_REVOKED"
    [entry] = await registry.audit("fragment.override_revoked")
    assert entry["target_id"] == "reports"
    missing = await registry.client.delete(
        "/fragments/reports/overrides/nope", headers=registry.admin
    )
    assert missing.json()["detail"]["code"] == "OVERRIDE_NOT_FOUND"


async def test_forged_and_expired_tokens_are_refused(registry, settings):
    await registry.live("reports", "1.0.0")
    grant = (await _issue(registry)).json()
    claims = jwt.decode(grant["token"], options={"verify_signature": False})
    developer = registry.token(DEV, "member")

    forged = jwt.encode(claims | {"entry": "http://localhost:6666/x.js"}, "guess" * 8)
    assert await _manifest_error(registry, forged, developer) == "OVERRIDE_INVALID"
    assert await _manifest_error(registry, "garbage", developer) == "OVERRIDE_INVALID"
    unknown = jwt.encode(claims | {"jti": "x"}, settings.override_signing_key)
    assert await _manifest_error(registry, unknown, developer) == "OVERRIDE_INVALID"
    expired = jwt.encode(claims | {"exp": int(time.time()) - 60}, settings.override_signing_key)
    assert await _manifest_error(registry, expired, developer) == "OVERRIDE_EXPIRED"


async def _forge(registry, grant, **claims):
    """The grant's token re-signed with the public development key, with `claims` changed."""
    original = jwt.decode(grant["token"], options={"verify_signature": False})
    return jwt.encode(original | claims, DEVELOPMENT_SIGNING_KEY, algorithm="HS256")


async def test_a_token_re_signed_with_the_development_key_cannot_outlive_its_grant(registry):
    await registry.live("reports", "1.0.0")
    developer = registry.token(DEV, "member")
    grant = (await _issue(registry, ttl_s=60)).json()
    await OverrideGrant.get_pymongo_collection().update_one(
        {"token_id": grant["token_id"]}, {"$set": {"expires_at": utc_now() - timedelta(hours=1)}}
    )
    revived = await _forge(registry, grant, exp=int(time.time()) + 30 * 24 * 3600)
    assert await _manifest_error(registry, revived, developer) == "OVERRIDE_EXPIRED"
    assert await _manifest_error(registry, grant["token"], developer) == "OVERRIDE_EXPIRED"

    live = (await _issue(registry, ttl_s=600)).json()
    stretched = await _forge(registry, live, exp=int(time.time()) + 30 * 24 * 3600)
    assert await _manifest_error(registry, stretched, developer) == "OVERRIDE_INVALID"
    victim = registry.token("victim-1", "member")
    redirected = await _forge(registry, live, sub="victim-1")
    assert await _manifest_error(registry, redirected, victim) == "OVERRIDE_INVALID"
    assert await registry.audit("fragment.override_used") == [], "no forged token was used"


async def test_a_revoked_grant_is_refused_whatever_the_token_says(registry):
    await registry.live("reports", "1.0.0")
    developer = registry.token(DEV, "member")
    grant = (await _issue(registry)).json()
    revoked = await registry.client.delete(
        f"/fragments/reports/overrides/{grant['token_id']}", headers=registry.admin
    )
    assert revoked.status_code == 200
    forged = await _forge(registry, grant, exp=int(time.time()) + 3600)
    assert await _manifest_error(registry, forged, developer) == "OVERRIDE_REVOKED"
