"""Revoked sessions as token consumers see them: the view the verifier consults on every
token, and the follower that fills it from the feed (real HTTP) or from Redis (real server)."""

import asyncio
import logging
import threading
import time
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import uvicorn
from redis.asyncio import Redis
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from conftest import free_port, wait_for_port
from platform_common.revocation import (
    REVOCATION_CHANNEL,
    RevocationEntry,
    RevocationFollower,
    RevocationSettingsMixin,
    RevocationView,
)
from platform_common.tokens import InvalidTokenError, JWKSVerifier

DELIVERY_BOUND_S = 5.0
LATER = time.time() + 3600


def user_entry(user_id: str, not_before: float) -> RevocationEntry:
    return RevocationEntry(kind="user", id=user_id, not_before=not_before, expires_at=LATER)


def session_entry(session_id: str, expires_at: float = LATER) -> RevocationEntry:
    return RevocationEntry(kind="session", id=session_id, expires_at=expires_at)


def test_a_not_before_time_refuses_earlier_tokens_of_that_user_only():
    view = RevocationView()
    view.apply([user_entry("u1", not_before=1000.5)])
    assert view.revoked("u1", "s1", issued_at=1000.4)
    assert not view.revoked("u1", "s2", issued_at=1000.6)  # signed in again after
    assert not view.revoked("u2", "s3", issued_at=999.0)


def test_a_revoked_session_refuses_its_tokens_only():
    view = RevocationView()
    view.apply([session_entry("s1")])
    assert view.revoked("u1", "s1", issued_at=time.time())
    assert not view.revoked("u1", "s2", issued_at=0.0)
    assert not view.revoked("u1", None, issued_at=0.0)


def test_an_older_not_before_never_replaces_a_newer_one():
    view = RevocationView()
    view.apply([user_entry("u1", not_before=2000.0), user_entry("u1", not_before=1000.0)])
    assert view.revoked("u1", None, issued_at=1500.0)


def test_expired_entries_are_forgotten():
    view = RevocationView()
    view.apply([session_entry("old", expires_at=100.0), session_entry("live")])
    view.forget_expired(now=200.0)
    assert len(view) == 1
    assert not view.revoked("u1", "old", issued_at=0.0)


def test_the_feed_url_defaults_to_the_jwks_services():
    settings = RevocationSettingsMixin()
    assert (
        settings.revocation_feed("http://auth:8001/.well-known/jwks.json")
        == "http://auth:8001/internal/revocations"
    )
    assert RevocationSettingsMixin(revocation_feed_url="http://x/feed").revocation_feed(
        "http://auth:8001/.well-known/jwks.json"
    ) == ("http://x/feed")


@pytest.fixture
async def verifier(token_issuer) -> AsyncIterator[JWKSVerifier]:
    async with httpx.AsyncClient() as http:
        yield JWKSVerifier(
            jwks_url=token_issuer.jwks_url,
            issuer=token_issuer.issuer,
            audience=token_issuer.audience,
            http=http,
        )


async def test_the_verifier_refuses_revoked_tokens_with_token_revoked(verifier, token_issuer):
    now = time.time()
    old = token_issuer.mint("u1", sid="s1", iat=round(now - 60, 3))
    other_session = token_issuer.mint("u2", sid="s2")
    verifier.revocations.apply([user_entry("u1", not_before=now - 1), session_entry("s2")])
    for token in (old, other_session):
        with pytest.raises(InvalidTokenError) as raised:
            await verifier.verify(token)
        assert raised.value.code == "TOKEN_REVOKED"
    fresh = await verifier.verify(token_issuer.mint("u1", sid="s3", iat=round(now, 3)))
    assert fresh.session_id == "s3" and fresh.issued_at == round(now, 3)
    assert (await verifier.verify(token_issuer.mint("u3", sid="s1x"))).subject == "u3"


async def test_a_cached_principal_is_checked_again(verifier, token_issuer):
    principal = await verifier.verify(token_issuer.mint("u1", sid="s1"))
    verifier.ensure_not_revoked(principal)
    verifier.revocations.apply([session_entry("s1")])
    with pytest.raises(InvalidTokenError):
        verifier.ensure_not_revoked(principal)


class Feed:
    """A stand-in auth feed over real HTTP: it answers what the test puts in, and notes the
    cursors it was asked with."""

    def __init__(self) -> None:
        self.entries: list[RevocationEntry] = []
        self.cursors: list[str | None] = []
        self.failing = False

    def app(self) -> Starlette:
        async def feed(request: Request) -> JSONResponse:
            self.cursors.append(request.query_params.get("since"))
            if self.failing:
                return JSONResponse({"detail": "down"}, status_code=503)
            entries = [entry.model_dump() for entry in self.entries]
            return JSONResponse({"cursor": str(len(self.cursors)), "entries": entries})

        return Starlette(routes=[Route("/internal/revocations", feed)])


@pytest.fixture(scope="module")
def feed() -> Iterator[tuple[Feed, str]]:
    stand_in = Feed()
    port = free_port()
    config = uvicorn.Config(stand_in.app(), host="127.0.0.1", port=port, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for_port("127.0.0.1", port)
    yield stand_in, f"http://127.0.0.1:{port}/internal/revocations"
    server.should_exit = True
    thread.join(timeout=5)


async def _until(condition, bound_s: float = DELIVERY_BOUND_S) -> bool:
    deadline = time.monotonic() + bound_s
    while not condition():
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.05)
    return True


async def test_the_follower_applies_the_feed_and_sends_back_its_cursor(feed):
    stand_in, url = feed
    stand_in.entries = [session_entry("s-feed")]
    view = RevocationView()
    async with httpx.AsyncClient() as http:
        follower = RevocationFollower(
            view, feed_url=url, http=http, interval_s=0.1, stale_after_s=30
        )
        async with follower.running():
            assert await _until(lambda: len(stand_in.cursors) >= 2)
    assert view.revoked("u1", "s-feed", issued_at=0.0)
    assert stand_in.cursors[0] is None and stand_in.cursors[1] == "1"


async def test_an_unreachable_feed_fails_open_on_what_is_known(feed):
    stand_in, url = feed
    stand_in.entries, stand_in.failing = [session_entry("s-known")], False
    view = RevocationView()
    async with httpx.AsyncClient() as http:
        follower = RevocationFollower(
            view, feed_url=url, http=http, interval_s=0.05, stale_after_s=0.2
        )
        await follower.poll()
        stand_in.failing = True
        async with follower.running():
            assert await _until(lambda: follower.stale)
    stand_in.failing = False
    assert view.revoked("u1", "s-known", issued_at=0.0)  # still enforced
    assert not view.revoked("u1", "s-other", issued_at=0.0)  # and others still accepted


async def test_with_redis_a_published_revocation_arrives_without_the_feed(redis_url):
    view = RevocationView()
    closed_port = free_port()
    async with httpx.AsyncClient() as http:
        follower = RevocationFollower(
            view,
            feed_url=f"http://127.0.0.1:{closed_port}/internal/revocations",
            http=http,
            interval_s=1.0,
            stale_after_s=30,
            redis_url=redis_url,
        )
        redis = Redis.from_url(redis_url)
        try:
            async with follower.running():
                entry = session_entry("s-redis").model_dump_json()
                # Published until heard: the subscription starts with the follower's task.
                delivered = False
                for _ in range(int(DELIVERY_BOUND_S / 0.1)):
                    await redis.publish(REVOCATION_CHANNEL, entry)
                    if view.revoked("u1", "s-redis", issued_at=0.0):
                        delivered = True
                        break
                    await asyncio.sleep(0.1)
                await redis.publish(REVOCATION_CHANNEL, "not an entry")
                await asyncio.sleep(0.1)
        finally:
            await redis.aclose()
    assert delivered


async def test_polls_of_the_feed_are_not_logged_by_httpx(feed):
    _, url = feed
    async with httpx.AsyncClient() as http:
        follower = RevocationFollower(
            RevocationView(), feed_url=url, http=http, interval_s=1.0, stale_after_s=30
        )
        async with follower.running():
            pass

    def record(message: str) -> logging.LogRecord:
        return logging.LogRecord("httpx", logging.INFO, __file__, 1, message, None, None)

    httpx_log = logging.getLogger("httpx")
    assert not httpx_log.filter(record(f'HTTP Request: GET {url}?since=5 "HTTP/1.1 200 OK"'))
    assert httpx_log.filter(record('HTTP Request: GET http://auth/users/me "HTTP/1.1 200 OK"'))
