"""The revocation list the auth service keeps and publishes: what lands in it on each kind of
revocation, the internal feed's cursor, Redis pub/sub, the sweep, and this service's own
bearer routes refusing revoked tokens."""

import asyncio
import json
import time
from datetime import timedelta

import jwt
from redis.asyncio import Redis

from auth_service.models import RevokedSession, utcnow
from auth_service.revocation import FEED_OVERLAP_S, sweep_expired_revocations
from platform_common.revocation import REVOCATION_CHANNEL

NEW_PASSWORD = "saffron-lantern-glacier-38"


def claims_of(pair: dict) -> dict:
    return jwt.decode(pair["access_token"], options={"verify_signature": False})


async def feed(client, since: str | None = None) -> dict:
    response = await client.get("/internal/revocations", params={"since": since} if since else {})
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "private, max-age=1"
    return response.json()


def entries_for(page: dict, kind: str, entry_id: str) -> list[dict]:
    return [e for e in page["entries"] if e["kind"] == kind and e["id"] == entry_id]


async def test_access_tokens_name_their_session_and_when_they_were_issued(accounts):
    pair = await accounts.signed_in("ida@example.io")
    claims = claims_of(pair)
    refreshed = (
        await accounts.client.post("/jwt/refresh", json={"refresh_token": pair["refresh_token"]})
    ).json()
    assert claims_of(refreshed)["sid"] == claims["sid"]  # one session across renewals
    assert abs(claims["iat"] - time.time()) < 30


async def test_signing_out_revokes_that_session(client, accounts):
    pair = await accounts.signed_in("jon@example.io")
    await client.post("/jwt/logout", json={"refresh_token": pair["refresh_token"]})
    [entry] = entries_for(await feed(client), "session", claims_of(pair)["sid"])
    assert entry["expires_at"] > time.time() + 900  # outlives every token of the session


async def test_signing_out_everywhere_sets_a_not_before_time(client, accounts):
    pair = await accounts.signed_in("kim@example.io")
    claims = claims_of(pair)
    before = time.time()
    response = await client.post("/jwt/logout-all", headers=accounts.bearer(pair["access_token"]))
    assert response.status_code == 204
    [entry] = entries_for(await feed(client), "user", claims["sub"])
    assert claims["iat"] < entry["not_before"] and entry["not_before"] >= before


async def test_deactivation_and_password_change_set_a_not_before_time(
    client, accounts, admin_headers
):
    deactivated = claims_of(await accounts.signed_in("lea@example.io"))
    changed = await accounts.signed_in("max@example.io")
    response = await client.patch(
        f"/users/{deactivated['sub']}", json={"is_active": False}, headers=admin_headers
    )
    assert response.status_code == 200
    response = await client.patch(
        "/users/me",
        json={"password": NEW_PASSWORD, "current_password": accounts.password},
        headers=accounts.bearer(changed["access_token"]),
    )
    assert response.status_code == 200, response.text
    page = await feed(client)
    assert entries_for(page, "user", deactivated["sub"])
    assert entries_for(page, "user", claims_of(changed)["sub"])


async def test_this_services_own_routes_refuse_a_revoked_token(client, accounts):
    pair = await accounts.signed_in("ned@example.io")
    headers = accounts.bearer(pair["access_token"])
    assert (await client.get("/users/me", headers=headers)).status_code == 200
    await client.post("/jwt/logout-all", headers=headers)
    assert (await client.get("/users/me", headers=headers)).status_code == 401
    again = await accounts.tokens("ned@example.io")
    me = await client.get("/users/me", headers=accounts.bearer(again["access_token"]))
    assert me.status_code == 200


async def test_the_feed_answers_only_what_changed_since_the_cursor(client, accounts):
    first = await accounts.signed_in("oda@example.io")
    await client.post("/jwt/logout", json={"refresh_token": first["refresh_token"]})
    old_sid = claims_of(first)["sid"]
    # Written long enough ago that no cursor handed out since can still ask for it.
    await RevokedSession.get_pymongo_collection().update_one(
        {"_id": f"session:{old_sid}"}, {"$set": {"changed_at": time.time() - 120}}
    )
    cursor = (await feed(client))["cursor"]
    second = await accounts.tokens("oda@example.io")
    await client.post("/jwt/logout", json={"refresh_token": second["refresh_token"]})
    page = await feed(client, cursor)
    assert entries_for(page, "session", claims_of(second)["sid"])
    assert not entries_for(page, "session", old_sid)
    assert int(page["cursor"]) >= int(cursor) > 0
    assert FEED_OVERLAP_S < 120


async def test_a_malformed_cursor_is_a_422(client):
    for since in ("soon", "-1", "1e400", "99999999999999999999"):
        response = await client.get("/internal/revocations", params={"since": since})
        assert response.status_code == 422, since


async def test_expired_entries_are_swept(client, accounts):
    pair = await accounts.signed_in("pia@example.io")
    await client.post("/jwt/logout", json={"refresh_token": pair["refresh_token"]})
    assert await sweep_expired_revocations(utcnow()) == 0
    assert await sweep_expired_revocations(utcnow() + timedelta(seconds=920)) == 1
    assert (await feed(client))["entries"] == []


async def test_with_redis_each_revocation_is_published(settings, accounts_factory, redis_url):
    redis = Redis.from_url(redis_url)
    try:
        async with redis.pubsub() as pubsub:
            await pubsub.subscribe(REVOCATION_CHANNEL)
            await pubsub.get_message(timeout=1.0)  # the subscription's confirmation
            configured = settings.model_copy(update={"revocation_redis_url": redis_url})
            async with accounts_factory(configured) as accounts:
                pair = await accounts.signed_in("quinn@example.io")
                headers = accounts.bearer(pair["access_token"])
                await accounts.client.post("/jwt/logout-all", headers=headers)
            message = await asyncio.wait_for(_next_message(pubsub), timeout=5.0)
    finally:
        await redis.aclose()
    published = json.loads(message["data"])
    assert published["kind"] == "user" and published["id"] == claims_of(pair)["sub"]
    assert published["not_before"] > claims_of(pair)["iat"]


async def _next_message(pubsub) -> dict:
    while True:
        message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
        if message is not None:
            return message


async def test_polls_of_the_feed_write_no_access_line(client, capfd):
    await feed(client)
    await client.get("/healthz")
    lines = [json.loads(line) for line in capfd.readouterr().out.splitlines() if line]
    paths = [line.get("path") for line in lines if line.get("message") == "request"]
    assert "/healthz" in paths and "/internal/revocations" not in paths
