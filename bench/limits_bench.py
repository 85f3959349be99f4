"""What one rate-limited request costs the gateway with in-memory limits, as the number of
distinct clients in the window grows: `limits`' own async memory storage (the baseline)
against the gateway's `SweptMemoryStorage`, side by side, for each strategy.

    make bench-limits             (or: .venv/bin/python -m bench.limits_bench --hits 3000)

Each client is hit once first (so the storage holds that many keys), then `--hits` requests
are checked round-robin over the clients, each followed by one turn of the event loop, as in
a server (that is when the library's background sweep gets to run). Figures are CPU
microseconds per request on uvloop, limit 600/minute.
"""

import argparse
import asyncio
import time

import uvloop
from limits.aio.storage import MemoryStorage, Storage

from gateway.limits import STRATEGIES, GatewayRateLimiter, SweptMemoryStorage
from gateway.settings import RateLimitRule

RULE = RateLimitRule(group="core", paths=["/api/core/*"], per_client="600/minute")
PATH = "/api/core/tasks"


def client_address(n: int) -> str:
    return f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"


async def cpu_us_per_request(storage: Storage, strategy: str, clients: int, hits: int) -> float:
    limiter = GatewayRateLimiter([RULE], storage, strategy)
    for n in range(clients):
        await limiter.check_client(PATH, client_address(n))
    await asyncio.sleep(0)
    started = time.process_time()
    for n in range(hits):
        await limiter.check_client(PATH, client_address(n % clients))
        await asyncio.sleep(0)
    return (time.process_time() - started) / hits * 1e6


async def run(client_counts: list[int], hits: int) -> None:
    print(f"CPU µs per rate-limited request ({hits} requests, one loop turn each, uvloop):\n")
    print("| strategy | clients | limits' MemoryStorage | SweptMemoryStorage | ratio |")
    print("|---|---:|---:|---:|---:|")
    for strategy in STRATEGIES:
        for clients in client_counts:
            baseline = await cpu_us_per_request(MemoryStorage(), strategy, clients, hits)
            swept = await cpu_us_per_request(SweptMemoryStorage(), strategy, clients, hits)
            print(
                f"| {strategy} | {clients:,} | {baseline:,.1f} | {swept:,.1f} |"
                f" {swept / baseline:.2f} |"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 1_000, 10_000])
    parser.add_argument("--hits", type=int, default=3_000, help="requests measured per row")
    args = parser.parse_args()
    uvloop.run(run(args.clients, args.hits))


if __name__ == "__main__":
    main()
