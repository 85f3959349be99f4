"""Rate limits per client address and per user, per route group; Redis shares them."""

import asyncio
import socket
import time

import pytest

from conftest import free_port
from gateway.app import create_app
from gateway.limits import (
    STORAGE_TIMEOUT_S,
    GatewayRateLimiter,
    SweptMemoryStorage,
    storage_for,
)
from gateway.settings import RateLimitRule
from gateway.tests.conftest import bearer, running

TIGHT = [
    RateLimitRule(group="login", paths=["/api/auth/jwt/login"], per_client="2/minute"),
    RateLimitRule(
        group="core", paths=["/api/core/*"], per_client="100/minute", per_user="3/minute"
    ),
]


async def test_per_client_limit_answers_429_with_retry_after(make_settings, upstreams, auth):
    auth.reply("POST", "/jwt/login", json={})
    async with running(create_app(make_settings(rate_limits=TIGHT))) as client:
        first = await client.post("/api/auth/jwt/login")
        second = await client.post("/api/auth/jwt/login")
        third = await client.post("/api/auth/jwt/login")
    assert (first.status_code, second.status_code) == (200, 200)
    assert first.headers["ratelimit-limit"] == "2"
    assert first.headers["ratelimit-remaining"] == "1"
    assert second.headers["ratelimit-remaining"] == "0"
    assert third.status_code == 429
    assert third.json()["detail"]["code"] == "RATE_LIMITED"
    assert 1 <= int(third.headers["retry-after"]) <= 60
    assert third.headers["ratelimit-remaining"] == "0"
    assert len(auth.calls("/jwt/login")) == 2


async def test_per_user_limit_follows_the_token_subject(
    make_settings, upstreams, core, token_issuer
):
    core.reply("GET", "/projects", json=[])
    alice, bob = token_issuer.mint("alice"), token_issuer.mint("bob")
    async with running(create_app(make_settings(rate_limits=TIGHT))) as client:
        statuses = [
            (await client.get("/api/core/projects", headers=bearer(alice))).status_code
            for _ in range(4)
        ]
        # Another token of the same user shares the budget; another user has their own.
        again = await client.get("/api/core/projects", headers=bearer(token_issuer.mint("alice")))
        other = await client.get("/api/core/projects", headers=bearer(bob))
    assert statuses == [200, 200, 200, 429]
    assert again.status_code == 429
    assert other.status_code == 200


async def test_limits_can_be_switched_off(make_settings, upstreams, auth):
    auth.reply("POST", "/jwt/login", json={})
    settings = make_settings(rate_limits=TIGHT, rate_limits_enabled=False)
    async with running(create_app(settings)) as client:
        responses = [await client.post("/api/auth/jwt/login") for _ in range(4)]
    assert {r.status_code for r in responses} == {200}
    assert "ratelimit-limit" not in responses[0].headers


async def test_gateways_sharing_redis_share_the_limit(make_settings, upstreams, auth, redis_url):
    auth.reply("POST", "/jwt/login", json={})
    rules = [RateLimitRule(group="login", paths=["/api/auth/jwt/login"], per_client="3/minute")]
    settings = make_settings(rate_limits=rules, rate_limit_storage_url=redis_url)
    async with (
        running(create_app(settings)) as first_gateway,
        running(create_app(settings)) as second_gateway,
    ):
        statuses = [
            (await gateway.post("/api/auth/jwt/login")).status_code
            for gateway in (first_gateway, second_gateway, first_gateway, second_gateway)
        ]
    assert statuses == [200, 200, 200, 429]


async def test_an_unreachable_limit_store_lets_requests_through(make_settings, upstreams, auth):
    auth.reply("POST", "/jwt/login", json={})
    settings = make_settings(
        rate_limits=TIGHT, rate_limit_storage_url=f"redis://127.0.0.1:{free_port()}/0"
    )
    async with running(create_app(settings)) as client:
        response = await client.post("/api/auth/jwt/login")
    assert response.status_code == 200


async def test_a_limit_store_that_never_answers_lets_requests_through_quickly(
    make_settings, upstreams, auth
):
    auth.reply("POST", "/jwt/login", json={})
    with socket.socket() as silent:  # accepts connections (the kernel does), answers nothing
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        port = silent.getsockname()[1]
        settings = make_settings(
            rate_limits=TIGHT, rate_limit_storage_url=f"redis://127.0.0.1:{port}/0"
        )
        async with running(create_app(settings)) as client:
            started = time.monotonic()
            response = await client.post("/api/auth/jwt/login")
            waited_s = time.monotonic() - started
    assert response.status_code == 200
    assert waited_s < 3 * STORAGE_TIMEOUT_S + 1


def limiter_on_swept_memory(strategy: str, per_client: str, sweep_interval_s: float):
    storage = SweptMemoryStorage(sweep_interval_s=sweep_interval_s)
    rule = RateLimitRule(group="core", paths=["/api/core/*"], per_client=per_client)
    return GatewayRateLimiter([rule], storage, strategy), storage


@pytest.mark.parametrize("strategy", ["moving-window", "sliding-window-counter", "fixed-window"])
async def test_in_memory_limits_forget_clients_that_went_quiet(strategy):
    limiter, storage = limiter_on_swept_memory(strategy, "2/second", sweep_interval_s=0.2)
    for n in range(50):
        await limiter.check_client("/api/core/tasks", f"10.0.0.{n}")
    assert len(storage.events) + len(storage.storage) >= 50

    await asyncio.sleep(2.3)  # past the (sliding) window and the next sweep
    await limiter.check_client("/api/core/tasks", "10.0.1.1")

    # Only the client just seen is still held (the sliding window keeps two counters).
    assert len(storage.events) + len(storage.storage) <= 2


async def test_a_sweep_keeps_the_moving_window_entries_still_inside_it():
    limiter, storage = limiter_on_swept_memory("moving-window", "3/second", sweep_interval_s=0.1)
    for _ in range(2):
        assert (await limiter.check_client("/api/core/tasks", "10.0.0.1")).allowed
    await asyncio.sleep(0.6)
    assert (await limiter.check_client("/api/core/tasks", "10.0.0.1")).allowed
    await asyncio.sleep(0.5)  # the first two have left the window; the third has not

    storage.sweep()

    outcomes = [await limiter.check_client("/api/core/tasks", "10.0.0.1") for _ in range(3)]
    assert [outcome.allowed for outcome in outcomes] == [True, True, False]


@pytest.mark.parametrize("store", ["memory", "redis"])
async def test_fixed_windows_report_their_end_and_start_afresh(store, request):
    url = "memory://" if store == "memory" else request.getfixturevalue("redis_url")
    rule = RateLimitRule(group=f"fixed-{store}", paths=["/api/core/*"], per_client="2/2second")
    limiter = GatewayRateLimiter([rule], storage_for(url), "fixed-window")

    first_window = [await limiter.check_client("/api/core/tasks", "10.0.0.9") for _ in range(3)]
    await asyncio.sleep(2.2)  # the window has ended: a new one starts with a new end
    next_window = await limiter.check_client("/api/core/tasks", "10.0.0.9")

    assert [(o.allowed, o.remaining) for o in first_window] == [(True, 1), (True, 0), (False, 0)]
    assert all(1 <= o.reset_after_s <= 2 for o in first_window)
    assert next_window is not None
    assert (next_window.allowed, next_window.remaining) == (True, 1)
    assert 1 <= next_window.reset_after_s <= 2


async def test_sign_ups_from_one_address_are_limited_per_hour(gateway, auth):
    # Registration says when an address is taken (docs/security.md, Decisions): one address
    # may test 50 addresses an hour, not 30 a minute.
    auth.reply("POST", "/register", 400, json={"detail": "REGISTER_USER_ALREADY_EXISTS"})
    auth.reply("POST", "/jwt/login", json={})
    statuses = [
        (await gateway.post("/api/auth/register", json={"email": f"u{n}@example.com"})).status_code
        for n in range(51)
    ]
    limited = await gateway.post("/api/auth/register", json={"email": "late@example.com"})
    sign_in = await gateway.post("/api/auth/jwt/login", data={"username": "a", "password": "b"})

    assert statuses == [400] * 50 + [429]
    assert limited.json()["detail"]["code"] == "RATE_LIMITED"
    assert int(limited.headers["retry-after"]) > 60
    assert sign_in.status_code == 200
