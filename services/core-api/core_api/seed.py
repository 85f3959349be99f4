"""Loads the demo organisation: people (through the auth service's HTTP API), 5 projects
with members, and about 5,000 tasks spread over the last 90 days. Safe to run again: an
existing user, project or project's tasks are kept as they are.

    python -m core_api.seed --auth-url http://127.0.0.1:8001 [--tasks 5000]

With `--user-ids a,b,c` no auth service is needed: the ids are used as the members (for
tests and benchmarks).
"""

import argparse
import asyncio
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from beanie import PydanticObjectId, init_beanie

from core_api.models import DOCUMENTS, Member, Project, ProjectRole, Task, TaskStatus, utc_now
from core_api.rollups import Rollups
from core_api.settings import CoreSettings
from core_api.tasks import derived_fields
from platform_common.indexes import ensure_indexes
from platform_common.store import connect

DEMO_PEOPLE = [
    ("ada@demo.example", "Ada Lovelace"),
    ("grace@demo.example", "Grace Hopper"),
    ("alan@demo.example", "Alan Turing"),
    ("edsger@demo.example", "Edsger Dijkstra"),
    ("barbara@demo.example", "Barbara Liskov"),
    ("ken@demo.example", "Ken Thompson"),
    ("margaret@demo.example", "Margaret Hamilton"),
    ("linus@demo.example", "Linus Torvalds"),
]
DEMO_PROJECTS = [
    ("WEB", "Website relaunch", "The new public website and its content pipeline."),
    ("MOB", "Mobile app", "iOS and Android apps for customers."),
    ("OPS", "Platform operations", "Infrastructure, monitoring and on-call work."),
    ("DATA", "Data warehouse", "Reporting pipeline and dashboards."),
    ("MKT", "Spring campaign", "Launch campaign across channels."),
]
VERBS = ["Fix", "Write", "Review", "Design", "Migrate", "Test", "Document", "Refactor", "Ship"]
THINGS = [
    "login flow",
    "search page",
    "billing export",
    "onboarding e-mails",
    "release notes",
    "cache layer",
    "alerting rules",
    "checkout form",
    "image pipeline",
    "API rate limits",
    "dark mode",
    "nightly backup",
]
LABELS = ["bug", "feature", "chore", "frontend", "backend", "infra", "docs", "urgent-fix"]
DAYS = 90


@dataclass(frozen=True)
class Person:
    user_id: str
    email: str


async def people_from_auth(auth_url: str, password: str) -> list[Person]:
    """Registers the demo people over HTTP; one registered before is found by signing in
    as them with the demo password (so no admin credentials are needed)."""
    async with httpx.AsyncClient(base_url=auth_url, timeout=30.0) as http:
        await _wait_until_up(http)
        return [await _demo_person(http, email, name, password) for email, name in DEMO_PEOPLE]


async def _demo_person(http: httpx.AsyncClient, email: str, name: str, password: str) -> Person:
    body = {"email": email, "password": password, "full_name": name}
    created = await http.post("/register", json=body)
    if created.status_code == 201:
        return Person(created.json()["id"], email)
    if created.status_code != 400 or created.json().get("detail") != "REGISTER_USER_ALREADY_EXISTS":
        raise SystemExit(f"cannot register {email}: {created.status_code} {created.text}")
    login = await http.post("/jwt/login", data={"username": email, "password": password})
    if login.status_code != 200:
        raise SystemExit(f"{email} exists but the demo password does not sign in: {login.text}")
    tokens = login.json()
    me = await http.get("/users/me", headers={"Authorization": f"Bearer {tokens['access_token']}"})
    me.raise_for_status()
    # Leave no session behind.
    await http.post("/jwt/logout", json={"refresh_token": tokens["refresh_token"]})
    http.cookies.clear()
    return Person(me.json()["id"], email)


async def _wait_until_up(http: httpx.AsyncClient, timeout_s: float = 90.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout_s
    while True:
        try:
            if (await http.get("/healthz")).status_code == 200:
                return
        except httpx.TransportError:
            pass
        if asyncio.get_running_loop().time() > deadline:
            raise SystemExit(f"the auth service at {http.base_url} does not answer")
        await asyncio.sleep(1.0)


def demo_members(people: list[Person], index: int) -> list[Member]:
    """An owner, three editors and two viewers, rotating so every person is in several."""
    turn = people[index:] + people[:index]
    roles = [ProjectRole.OWNER] + [ProjectRole.EDITOR] * 3 + [ProjectRole.VIEWER] * 2
    return [Member(user_id=p.user_id, role=role) for p, role in zip(turn, roles, strict=False)]


def demo_task(
    project: Project, rng: random.Random, now: datetime, created_by: str
) -> dict[str, Any]:
    created = now - timedelta(seconds=rng.uniform(0, DAYS * 86400))
    age_days = (now - created).total_seconds() / 86400
    status = _status_for_age(rng, age_days)
    completed = None
    if status == TaskStatus.DONE:
        completed = min(now, created + timedelta(hours=rng.lognormvariate(3.2, 1.0)))
    due = None
    if rng.random() < 0.7:
        due = datetime.combine(
            (created + timedelta(days=rng.randint(2, 30))).date(), datetime.min.time(), now.tzinfo
        )
    assignees = [m.user_id for m in project.members if m.role != ProjectRole.VIEWER]
    fields = {
        "status": status,
        "priority": rng.choices(["low", "medium", "high", "urgent"], [3, 5, 2, 1])[0],
        "due_at": due,
        "created_at": created,
        "completed_at": completed,
    }
    return {
        **fields,
        **derived_fields(fields, now),
        "project_id": project.id,
        "title": f"{rng.choice(VERBS)} {rng.choice(THINGS)}",
        "description": "",
        "assignee": rng.choice(assignees) if rng.random() < 0.85 else None,
        "labels": rng.sample(LABELS, rng.randint(0, 2)),
        "created_by": created_by,
        "updated_at": completed or created,
        "created_day": created.date().isoformat(),
        "version": 1,
    }


def _status_for_age(rng: random.Random, age_days: float) -> TaskStatus:
    roll, done_share = rng.random(), min(0.85, age_days / 45)
    if roll < done_share:
        return TaskStatus.DONE
    if roll < done_share + 0.05:
        return TaskStatus.CANCELLED
    if roll < done_share + 0.3:
        return TaskStatus.IN_PROGRESS
    return TaskStatus.TODO


async def seed_core(people: list[Person], tasks_per_project: int, seed: int = 7) -> dict[str, int]:
    """Creates what is missing; returns how many tasks each project got now. Tasks go
    straight to the store, so their projects' statistics rollups are rebuilt after."""
    now, rng, added, rollups = utc_now(), random.Random(seed), {}, Rollups()
    for index, (key, name, description) in enumerate(DEMO_PROJECTS):
        project = await Project.find_one({"key": key})
        if project is None:
            members = demo_members(people, index)
            project = Project(
                id=PydanticObjectId(),
                name=name,
                key=key,
                description=description,
                members=members,
                member_ids=[m.user_id for m in members],
                created_by=members[0].user_id,
                created_at=now - timedelta(days=DAYS),
                updated_at=now,
            )
            # Rollups first: a core-api starting meanwhile then leaves them to the rebuild below.
            await rollups.reserve(project.id)
            await project.insert()
        if await Task.find({"project_id": project.id}).count() > 0:
            added[key] = 0
            continue
        owner = project.members[0].user_id
        batch = [demo_task(project, rng, now, owner) for _ in range(tasks_per_project)]
        await Task.get_pymongo_collection().insert_many(batch)
        await rollups.rebuild(project.id)
        added[key] = len(batch)
    return added


async def main_async(args: argparse.Namespace) -> None:
    settings = CoreSettings()
    if args.user_ids:
        people = [Person(i, i) for i in args.user_ids.split(",")]
    else:
        people = await people_from_auth(args.auth_url, args.user_password)
    client = connect(settings.mongodb_uri, "core-api-seed")
    try:
        # Indexes one by one: FerretDB v1 drops a createIndexes naming several existing ones.
        await init_beanie(
            database=client[settings.database], document_models=DOCUMENTS, skip_indexes=True
        )
        await ensure_indexes(DOCUMENTS)
        added = await seed_core(people, args.tasks // len(DEMO_PROJECTS))
    finally:
        await client.close()
    print(f"demo people: {', '.join(p.email for p in people)}")
    print(f"tasks added per project (0 = already there): {added}")
    if not args.user_ids:
        print(f"sign in as any of them with the password {args.user_password!r}")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--auth-url", default="http://127.0.0.1:8001")
    parser.add_argument("--user-password", default="demo-user-password")
    parser.add_argument("--user-ids", help="comma-separated ids to use instead of the auth API")
    parser.add_argument("--tasks", type=int, default=5000)
    return parser


def main() -> None:
    asyncio.run(main_async(_parser().parse_args()))


if __name__ == "__main__":
    main()
