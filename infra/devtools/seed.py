"""Loads the demo organisation: people (through the auth service's HTTP API), 5 projects
with members, and about 5,000 tasks created and completed every day of the last 90 up to
now, as a live team leaves them (weekends lighter, some work open, some of it overdue). Safe to run again: an
existing user, project or project's tasks are kept as they are.

    .venv/bin/python -m infra.devtools.seed --auth-url http://127.0.0.1:8001 [--tasks 5000]

Development tooling, not part of the service (`make seed` runs it from the repository root):
it writes through core-api's documents straight into the store, and signs people up through
auth's HTTP API.

With `--user-ids a,b,c` no auth service is needed: the ids are used as the members (for
tests and benchmarks).
"""

import argparse
import asyncio
import functools
import itertools
import math
import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
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
    if created.status_code != 400 or created.json().get("code") != "REGISTER_USER_ALREADY_EXISTS":
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


# Of all tasks: finished, dropped, still open (the open ones mostly recent).
KIND_SHARES = {"done": 0.72, "cancelled": 0.05, "open": 0.23}
IN_PROGRESS_SHARE = 0.4  # of the open tasks
WEEKEND_SHARE = 0.3  # a weekend day sees this share of a weekday's work
PRIORITY_WEIGHTS = {"low": 3, "medium": 5, "high": 2, "urgent": 1}
# Typical hours from created to done (log-normal around it): urgent work goes first.
TYPICAL_CYCLE_H = {"low": 70.0, "medium": 40.0, "high": 20.0, "urgent": 6.0}
# Relative workload of the assignable members, in their order in the project.
LOADS = (3, 5, 4, 2, 3)


def project_rng(seed: int, key: str) -> random.Random:
    """The random source of one demo project's tasks (independent of the other projects)."""
    return random.Random(f"{seed}:{key}")


def demo_tasks(
    project: Project, rng: random.Random, now: datetime, created_by: str, count: int
) -> list[dict[str, Any]]:
    """`count` tasks spread the way a live team leaves them: created and completed every
    day of the last 90 up to `now` (weekends lighter), a share still open. The same
    (rng state, now) gives the same tasks."""
    plan: list[tuple[str, int]] = []
    for kind, share_count in _kind_counts(count).items():
        weights = [w * rng.uniform(0.7, 1.3) for w in _day_weights(now.date(), kind)]
        for age, n in enumerate(_spread(share_count, weights)):
            plan += [(kind, age)] * n
    tasks = [_task(project, rng, now, created_by, kind, age) for kind, age in plan]
    return sorted(tasks, key=lambda task: task["created_at"])


def demo_task(
    project: Project, rng: random.Random, now: datetime, created_by: str
) -> dict[str, Any]:
    """One task drawn at random from the same spread (for benchmarks loading millions)."""
    kind = rng.choices(list(KIND_SHARES), list(KIND_SHARES.values()))[0]
    age = rng.choices(range(DAYS), cum_weights=_cumulative(now.date(), kind))[0]
    return _task(project, rng, now, created_by, kind, age)


def _kind_counts(count: int) -> dict[str, int]:
    done, cancelled = round(count * KIND_SHARES["done"]), round(count * KIND_SHARES["cancelled"])
    return {"done": done, "cancelled": cancelled, "open": count - done - cancelled}


@functools.cache
def _day_weights(today: date, kind: str) -> tuple[float, ...]:
    """How busy each day is, by age (0 = today), for the day a task of `kind` is placed
    on: its completion for a done task, its creation otherwise. Open tasks are mostly
    recent, with a tail of old ones nobody got to."""
    weights = []
    for age in range(DAYS):
        weight = 1.0 if (today - timedelta(days=age)).weekday() < 5 else WEEKEND_SHARE
        if kind == "open":
            weight *= 0.015 + math.exp(-age / 7)
        weights.append(weight)
    return tuple(weights)


@functools.cache
def _cumulative(today: date, kind: str) -> tuple[float, ...]:
    return tuple(itertools.accumulate(_day_weights(today, kind)))


def _spread(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights`, rounded by largest remainder (ties: the
    earlier index, i.e. the more recent day)."""
    exact = [w * total / sum(weights) for w in weights]
    counts = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(exact)), key=lambda i: counts[i] - exact[i])
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _task(
    project: Project, rng: random.Random, now: datetime, created_by: str, kind: str, age: int
) -> dict[str, Any]:
    priority = rng.choices(list(PRIORITY_WEIGHTS), list(PRIORITY_WEIGHTS.values()))[0]
    day = now.date() - timedelta(days=age)
    if kind == "done":
        status, completed = TaskStatus.DONE, _moment(rng, day, now)
        created = _created_before(rng, completed, priority, now)
        updated = completed
    else:
        status, completed, created = TaskStatus.TODO, None, _moment(rng, day, now)
        updated = created
        if kind == "cancelled":
            status = TaskStatus.CANCELLED
            updated = min(now, created + timedelta(hours=rng.uniform(1, 240)))
        elif rng.random() < IN_PROGRESS_SHARE:
            status = TaskStatus.IN_PROGRESS
            updated = min(now, created + timedelta(hours=rng.uniform(0.5, 72)))
    fields = {
        "status": status,
        "priority": priority,
        "due_at": _due(rng, created),
        "created_at": created,
        "completed_at": completed,
    }
    return {
        **fields,
        **derived_fields(fields, now),
        "project_id": project.id,
        "title": f"{rng.choice(VERBS)} {rng.choice(THINGS)}",
        "description": "",
        "assignee": _assignee(project, rng, status),
        "labels": rng.sample(LABELS, rng.randint(0, 2)),
        "created_by": created_by,
        "updated_at": updated,
        "created_day": created.date().isoformat(),
        "version": 1,
    }


def _moment(rng: random.Random, day: date, now: datetime) -> datetime:
    """A time on `day`, in working hours (07-19 UTC) where `now` allows, never after it."""
    start = datetime.combine(day, time(), now.tzinfo)
    latest = min(start + timedelta(hours=19), now)
    earliest = start + timedelta(hours=7)
    if earliest > latest:
        earliest = start
    return earliest + (latest - earliest) * rng.random()


def _created_before(
    rng: random.Random, completed: datetime, priority: str, now: datetime
) -> datetime:
    """When a task done at `completed` was created: a log-normal cycle time earlier, moved
    off the weekend to the Friday before mostly, and within the 90 days."""
    first = datetime.combine(now.date() - timedelta(days=DAYS - 1), time(), now.tzinfo)
    hours = rng.lognormvariate(math.log(TYPICAL_CYCLE_H[priority]), 0.9)
    created = completed - timedelta(hours=hours)
    if created < first:
        return first + (completed - first) * rng.random()
    days_after_friday = created.weekday() - 4
    friday = created - timedelta(days=days_after_friday)
    if days_after_friday > 0 and friday >= first and rng.random() < 0.5:
        return friday
    return created


def _due(rng: random.Random, created: datetime) -> datetime | None:
    if rng.random() < 0.25:
        return None
    day = created.date() + timedelta(days=rng.randint(2, 21))
    return datetime.combine(day, time(), created.tzinfo)


def _assignee(project: Project, rng: random.Random, status: TaskStatus) -> str | None:
    """Someone who can edit, some busier than others; work in progress or done always has
    an owner, a backlog or dropped task sometimes none."""
    if status in (TaskStatus.TODO, TaskStatus.CANCELLED) and rng.random() < 0.2:
        return None
    editors = [m.user_id for m in project.members if m.role != ProjectRole.VIEWER]
    loads = [LOADS[i % len(LOADS)] for i in range(len(editors))]
    return rng.choices(editors, loads)[0]


async def seed_core(
    people: list[Person], tasks_per_project: int, seed: int = 7, now: datetime | None = None
) -> dict[str, int]:
    """Creates what is missing; returns how many tasks each project got now. Tasks go
    straight to the store, so their projects' statistics rollups are rebuilt after. A
    project's tasks depend only on `seed`, its key and `now` (default: the present)."""
    now, added, rollups = now or utc_now(), {}, Rollups()
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
        batch = demo_tasks(project, project_rng(seed, key), now, owner, tasks_per_project)
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
