"""How core-api's task lists and statistics grow with the data: p50/p99 of the first page
and of the 50th page of a filtered, sorted task list, and of /stats, at each size.

    make bench-core                    (or: .venv/bin/python -m bench.core_bench --sizes 100000 1000000)

For each size it starts a fresh store (FerretDB on a free port, unless MONGODB_URI is set:
then a throw-away database there), serves core-api by uvicorn on a free port (its start-up
creates the indexes), loads the tasks straight into the store across --projects projects,
and measures over real HTTP with a locally signed token. The goal: a page costs about the
same at the largest size as at the smallest (keyset pages do not skip over earlier rows).
"""

import argparse
import asyncio
import os
import random
import statistics
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
from pymongo import MongoClient
from starlette.applications import Starlette
from starlette.responses import JSONResponse
from starlette.routing import Route

from bench.support import AUDIENCE, ISSUER, Signer, serve, store
from core_api.app import create_app
from core_api.models import Member, ProjectRole, utc_now
from core_api.settings import CoreSettings
from infra.devtools.seed import demo_task

USERS = [f"user{n}" for n in range(6)]


def load(uri: str, database: str, size: int, projects: int) -> tuple[str, float]:
    """Inserts `size` tasks over `projects` projects; returns the first project's id."""
    started = time.perf_counter()
    rng, now = random.Random(1), utc_now()
    db: Any = MongoClient(uri, tz_aware=True)[database]
    members = [Member(user_id=u, role=ProjectRole.EDITOR) for u in USERS]
    project_ids = []
    for n in range(projects):
        project = {
            "name": f"Project {n}",
            "key": f"P{n}",
            "description": "",
            "members": [m.model_dump(mode="json") for m in members],
            "member_ids": USERS,
            "version": 1,
            "created_by": USERS[0],
            "created_at": now - timedelta(days=90),
            "updated_at": now,
        }
        project_ids.append(db.projects.insert_one(project).inserted_id)
    batch: list[dict[str, Any]] = []
    for n in range(size):
        shell = _ProjectShell(project_ids[n % projects], members)
        batch.append(demo_task(shell, rng, now, USERS[0]))
        if len(batch) == 10_000:
            db.tasks.insert_many(batch, ordered=False)
            batch = []
    if batch:
        db.tasks.insert_many(batch, ordered=False)
    db.client.close()
    return str(project_ids[0]), time.perf_counter() - started


class _ProjectShell:
    """The two attributes demo_task reads, without building a Beanie document."""

    def __init__(self, project_id: Any, members: list[Member]) -> None:
        self.id = project_id
        self.members = members


async def timed(samples: int, call: Callable[[], Any]) -> tuple[float, float]:
    durations = []
    for _ in range(samples):
        started = time.perf_counter()
        response = await call()
        durations.append((time.perf_counter() - started) * 1000)
        response.raise_for_status()
    durations.sort()
    p99 = durations[min(len(durations) - 1, int(len(durations) * 0.99))]
    return statistics.median(durations), p99


async def measure(base: str, token: str, project_id: str, samples: int) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {token}"}
    url = f"/projects/{project_id}/tasks"
    params: dict[str, Any] = {"status": "done", "sort": "-created", "limit": 50}
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=300) as http:
        cursor = None
        for _ in range(49):
            body = (
                await http.get(url, params={**params, **({"cursor": cursor} if cursor else {})})
            ).json()
            cursor = body["next"]
        page_50 = {**params, "cursor": cursor}
        return {
            "first page": await timed(samples, lambda: http.get(url, params=params)),
            "page 50": await timed(samples, lambda: http.get(url, params=page_50)),
            "stats": await timed(
                max(3, samples // 3), lambda: http.get("/stats", params={"project": project_id})
            ),
        }


async def run_size(size: int, projects: int, samples: int, signer: Signer, jwks_url: str):
    with store() as uri:
        database = f"bench_{uuid.uuid4().hex[:8]}"
        settings = CoreSettings(
            mongodb_uri=uri,
            database=database,
            jwks_url=jwks_url,
            jwt_issuer=ISSUER,
            jwt_audience=AUDIENCE,
            log_level="WARNING",
        )
        app = create_app(settings)
        async with serve(app) as base:
            project_id, load_s = await asyncio.to_thread(load, uri, database, size, projects)
            rebuild_s = await rebuild_rollups(base, signer.token("bench-admin", ("admin",)))
            figures = await measure(base, signer.token(USERS[1]), project_id, samples)
        if os.environ.get("MONGODB_URI"):
            MongoClient(uri).drop_database(database)
    return load_s, rebuild_s, figures


async def rebuild_rollups(base: str, admin_token: str) -> float:
    """The tasks went straight to the store: build the statistics rollups from them."""
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base, timeout=3600) as http:
        response = await http.post(
            "/stats/rebuild", headers={"Authorization": f"Bearer {admin_token}"}
        )
        response.raise_for_status()
    return time.perf_counter() - started


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--projects", type=int, default=5)
    parser.add_argument("--samples", type=int, default=30)
    args = parser.parse_args()
    signer = Signer()
    jwks = Starlette(routes=[Route("/jwks", lambda _: JSONResponse(signer.jwks()))])
    async with serve(jwks) as jwks_base:
        results = {}
        for size in args.sizes:
            load_s, rebuild_s, figures = await run_size(
                size, args.projects, args.samples, signer, f"{jwks_base}/jwks"
            )
            results[size] = figures
            print(
                f"\n{size:,} tasks ({size // args.projects:,} in the listed project), "
                f"loaded in {load_s:.0f}s, statistics rollups rebuilt in {rebuild_s:.1f}s, "
                f"load average {os.getloadavg()[0]:.1f}",
                flush=True,
            )
            for name, (p50, p99) in figures.items():
                print(f"  {name:<11} p50 {p50:8.1f} ms   p99 {p99:8.1f} ms")
    smallest, largest = min(results), max(results)
    if smallest != largest:
        print(f"\nratio {largest:,} / {smallest:,} (p50):")
        for name in results[smallest]:
            print(f"  {name:<11} x{results[largest][name][0] / results[smallest][name][0]:.2f}")


if __name__ == "__main__":
    asyncio.run(main())
