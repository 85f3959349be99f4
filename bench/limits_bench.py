"""What one rate-limited request costs the gateway, per strategy: in memory as the number of
distinct clients in the window grows (`limits`' own async memory storage, the baseline,
against the gateway's `SweptMemoryStorage`, side by side), then on a real Redis (what
several gateway processes sharing their limits pay), against the in-memory figure.

    make bench-limits             (or: .venv/bin/python -m bench.limits_bench --hits 3000)

Each client is hit once first (so the storage holds that many keys), then `--hits` requests
are checked round-robin over the clients, each followed by one turn of the event loop, as in
a server (that is when the library's background sweep gets to run). Figures are microseconds
per request on uvloop, limit 600/minute. The Redis part needs Debian's redis-server (a
throw-away one is started on a free port); it is left out when that is missing.
"""

import argparse
import asyncio
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvloop
from limits.aio.storage import MemoryStorage, Storage

from bench.support import free_port, wait_for_port
from gateway.limits import STRATEGIES, GatewayRateLimiter, SweptMemoryStorage, storage_for
from gateway.settings import RateLimitRule

PATH = "/api/core/tasks"


def client_address(n: int) -> str:
    return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


async def us_per_request(
    storage: Storage, strategy: str, clients: int, hits: int
) -> tuple[float, float]:
    """CPU and wall-clock microseconds per limited request."""
    # Each strategy keeps its own keys: their shapes differ in a shared Redis.
    rule = RateLimitRule(group=strategy, paths=["/api/core/*"], per_client="600/minute")
    limiter = GatewayRateLimiter([rule], storage, strategy)
    for n in range(clients):
        await limiter.check_client(PATH, client_address(n))
    await asyncio.sleep(0)
    cpu_started, wall_started = time.process_time(), time.perf_counter()
    for n in range(hits):
        await limiter.check_client(PATH, client_address(n % clients))
        await asyncio.sleep(0)
    cpu, wall = time.process_time() - cpu_started, time.perf_counter() - wall_started
    return cpu / hits * 1e6, wall / hits * 1e6


async def in_memory(client_counts: list[int], hits: int) -> None:
    print(f"CPU µs per rate-limited request ({hits} requests, one loop turn each, uvloop):\n")
    print("| strategy | clients | limits' MemoryStorage | SweptMemoryStorage | ratio |")
    print("|---|---:|---:|---:|---:|")
    for strategy in STRATEGIES:
        for clients in client_counts:
            baseline, _ = await us_per_request(MemoryStorage(), strategy, clients, hits)
            swept, _ = await us_per_request(SweptMemoryStorage(), strategy, clients, hits)
            print(
                f"| {strategy} | {clients:,} | {baseline:,.1f} | {swept:,.1f} |"
                f" {swept / baseline:.2f} |"
            )


async def on_redis(redis_url: str, hits: int) -> None:
    print(f"\nOn Redis ({redis_url}, one client, {hits} requests): µs per limited request\n")
    print("| strategy | in memory: CPU | Redis: CPU | Redis: wall clock | CPU ratio |")
    print("|---|---:|---:|---:|---:|")
    for strategy in STRATEGIES:
        memory_cpu, _ = await us_per_request(SweptMemoryStorage(), strategy, 1, hits)
        redis_cpu, redis_wall = await us_per_request(storage_for(redis_url), strategy, 1, hits)
        print(
            f"| {strategy} | {memory_cpu:,.1f} | {redis_cpu:,.1f} | {redis_wall:,.1f} |"
            f" {redis_cpu / memory_cpu:.1f} |"
        )


@contextmanager
def throwaway_redis() -> Iterator[str | None]:
    server = shutil.which("redis-server")
    if server is None:
        print("\nredis-server not found (apt-get install redis-server): the Redis part is left out")
        yield None
        return
    port = free_port()
    options = ["--port", str(port), "--save", "", "--appendonly", "no"]
    process = subprocess.Popen([server, *options], stdout=subprocess.DEVNULL)
    try:
        wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


async def run(client_counts: list[int], hits: int) -> None:
    await in_memory(client_counts, hits)
    with throwaway_redis() as redis_url:
        if redis_url is not None:
            await on_redis(redis_url, hits)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 1_000, 10_000])
    parser.add_argument("--hits", type=int, default=3_000, help="requests measured per row")
    args = parser.parse_args()
    uvloop.run(run(args.clients, args.hits))


if __name__ == "__main__":
    main()
