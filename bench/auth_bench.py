"""Auth service latency and token verification throughput.

    make bench-auth           (or: .venv/bin/python -m bench.auth_bench --sign-ins 40 --refreshes 200)

Starts a throw-away store (FerretDB on a free port, unless MONGODB_URI is set: then a
throw-away database there), serves the auth service by uvicorn on a free port with its
production password hasher settings, and measures over real HTTP:
  - sign-in p50/p99 (POST /jwt/login), and failed sign-ins for a wrong password vs an
    unknown e-mail (they should cost the same: both run the hasher);
  - refresh p50/p99 (POST /jwt/refresh, each rotating the previous token);
  - access tokens verified per second by platform_common's JWKSVerifier (keys fetched from
    the service's JWKS over HTTP once, then cached), on one core.
"""

import argparse
import asyncio
import os
import secrets
import shutil
import statistics
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
from pymongo import MongoClient

from auth_service.app import create_app
from auth_service.keys import generate_key
from auth_service.settings import AuthSettings
from bench.support import serve, store
from platform_common.tokens import JWKSVerifier

PASSWORD = secrets.token_urlsafe(16)


async def timed(action: Callable[[], Awaitable[None]]) -> float:
    started = time.perf_counter()
    await action()
    return (time.perf_counter() - started) * 1000


def line(name: str, durations: list[float]) -> str:
    ordered = sorted(durations)
    p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
    return f"  {name:<34} p50 {statistics.median(ordered):7.1f} ms   p99 {p99:7.1f} ms   (n={len(ordered)})"


async def measure(base: str, settings: AuthSettings, sign_ins: int, refreshes: int) -> None:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        await http.post("/register", json={"email": "bench@example.io", "password": PASSWORD})
        form = {"username": "bench@example.io", "password": PASSWORD}

        async def sign_in() -> None:
            assert (await http.post("/jwt/login", data=form)).status_code == 200

        async def wrong_password() -> None:
            bad = {"username": "bench@example.io", "password": "wrong"}
            assert (await http.post("/jwt/login", data=bad)).status_code == 400

        async def unknown_email() -> None:
            bad = {"username": f"nobody-{uuid.uuid4().hex}@example.io", "password": "wrong"}
            assert (await http.post("/jwt/login", data=bad)).status_code == 400

        # Interleaved, so that a change in machine load hits all three alike.
        login_times: list[float] = []
        wrong_times: list[float] = []
        unknown_times: list[float] = []
        for _ in range(sign_ins):
            login_times.append(await timed(sign_in))
            wrong_times.append(await timed(wrong_password))
            unknown_times.append(await timed(unknown_email))

        pair = (await http.post("/jwt/login", data=form)).json()

        async def refresh() -> None:
            response = await http.post(
                "/jwt/refresh", json={"refresh_token": pair["refresh_token"]}
            )
            assert response.status_code == 200, response.text
            pair.update(response.json())

        refresh_times = [await timed(refresh) for _ in range(refreshes)]

        verifier = JWKSVerifier(
            jwks_url=f"{base}/.well-known/jwks.json",
            issuer=settings.jwt_issuer,
            audience=settings.jwt_audience,
            http=http,
        )
        token = pair["access_token"]
        await verifier.verify(token)  # fetches the JWKS once
        verified, started = 0, time.perf_counter()
        while time.perf_counter() - started < 2.0:
            await verifier.verify(token)
            verified += 1
        per_second = verified / (time.perf_counter() - started)

    print(line("sign-in (POST /jwt/login)", login_times))
    print(line("failed sign-in, wrong password", wrong_times))
    print(line("failed sign-in, unknown e-mail", unknown_times))
    print(line("refresh (POST /jwt/refresh)", refresh_times))
    print(f"  tokens verified per second (JWKSVerifier, RS256, cached keys): {per_second:,.0f}")


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sign-ins", type=int, default=40)
    parser.add_argument("--refreshes", type=int, default=200)
    args = parser.parse_args()
    keys = Path(tempfile.mkdtemp(prefix="auth-bench-keys-"))
    generate_key(keys)
    with store() as uri:
        settings = AuthSettings(
            environment="bench",
            mongodb_uri=uri,
            database=f"auth_bench_{uuid.uuid4().hex[:8]}",
            keys_dir=keys,
            link_token_secret=uuid.uuid4().hex,
            # The brute-force limits would answer most failures with a quick 429.
            login_account_limit="100000/minute",
            login_address_limit="100000/minute",
            log_level="WARNING",
        )
        print(f"Load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.")
        print(
            "Auth service over real HTTP, store "
            f"{'MONGODB_URI' if os.environ.get('MONGODB_URI') else 'FerretDB (embedded)'}.\n"
            f"Password hasher: argon2id, time_cost={settings.argon2_time_cost}, "
            f"memory={settings.argon2_memory_kib} KiB, parallelism={settings.argon2_parallelism} "
            "(the production defaults, AUTH_ARGON2_*)."
        )
        try:
            async with serve(create_app(settings)) as base:
                await measure(base, settings, args.sign_ins, args.refreshes)
        finally:
            client: MongoClient[dict[str, Any]]
            with MongoClient(uri) as client:
                client.drop_database(settings.database)
    shutil.rmtree(keys, ignore_errors=True)


if __name__ == "__main__":
    asyncio.run(main())
