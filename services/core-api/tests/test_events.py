"""The live event stream: visibility, ids and resume, heartbeats, slow clients, Redis."""

import asyncio
import json
from dataclasses import dataclass
from typing import Any

import httpx

from core_api.events import RESET, EventBus, RedisEventBus, Visibility


@dataclass
class Received:
    event: str | None
    id: str | None
    data: str
    comment: bool = False

    def json(self) -> Any:
        return json.loads(self.data)


async def read_events(
    response: httpx.Response, count: int, *, comments: bool = False
) -> list[Received]:
    """The next `count` events (and comment lines, if asked) of a stream, parsed as a
    browser's EventSource does."""
    received: list[Received] = []
    fields: dict[str, str] = {}
    async with asyncio.timeout(10):
        async for line in response.aiter_lines():
            if line.startswith(":"):
                if comments:
                    received.append(Received(None, None, line[1:].strip(), comment=True))
            elif line == "" and fields:
                received.append(
                    Received(fields.get("event"), fields.get("id"), fields.get("data", ""))
                )
                fields = {}
            elif line:
                name, _, value = line.partition(":")
                fields[name] = value.removeprefix(" ")
            if len(received) >= count:
                break
    return received


def bearer(token_issuer, subject: str, roles: list[str] | None = None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_issuer.mint(subject, roles)}"}


async def wait_for_subscribers(bus: EventBus, count: int) -> None:
    for _ in range(500):
        if bus.subscriber_count >= count:
            return
        await asyncio.sleep(0.01)
    raise TimeoutError(f"{count} subscribers never connected")


async def test_a_member_sees_their_projects_events_and_an_outsider_does_not(
    live_server, token_issuer
):
    url, app = live_server
    bus: EventBus = app.state.events
    async with (
        httpx.AsyncClient(base_url=url) as http,
        http.stream("GET", "/events", headers=bearer(token_issuer, "alice")) as alice,
        http.stream("GET", "/events", headers=bearer(token_issuer, "mallory")) as mallory,
    ):
        assert alice.status_code == 200
        assert alice.headers["content-type"].startswith("text/event-stream")
        assert alice.headers["x-accel-buffering"] == "no"
        await wait_for_subscribers(bus, 2)
        secret = await bus.publish(
            "task.created", {"title": "secret"}, visible_to=Visibility.to_project("p1", {"alice"})
        )
        public = await bus.publish(
            "fragment.published", {"name": "x"}, visible_to=Visibility.to_all()
        )

        seen_by_alice = await read_events(alice, 2)
        seen_by_mallory = await read_events(mallory, 1)

    assert [(e.event, e.id) for e in seen_by_alice] == [
        ("task.created", str(secret.id)),
        ("fragment.published", str(public.id)),
    ]
    assert seen_by_alice[0].json()["data"] == {"title": "secret"}
    assert [e.event for e in seen_by_mallory] == ["fragment.published"]


async def test_admins_see_everything_and_roles_admit_their_holders(live_server, token_issuer):
    url, app = live_server
    bus: EventBus = app.state.events
    async with (
        httpx.AsyncClient(base_url=url) as http,
        http.stream("GET", "/events", headers=bearer(token_issuer, "root", ["admin"])) as admin,
        http.stream(
            "GET", "/events", headers=bearer(token_issuer, "ops", ["publisher:dashboard"])
        ) as publisher,
    ):
        await wait_for_subscribers(bus, 2)
        await bus.publish("project.updated", {}, visible_to=Visibility.to_project("p1", {"bob"}))
        await bus.publish(
            "fragment.canary", {}, visible_to=Visibility.to_roles("publisher:dashboard")
        )
        assert [e.event for e in await read_events(admin, 2)] == [
            "project.updated",
            "fragment.canary",
        ]
        assert [e.event for e in await read_events(publisher, 1)] == ["fragment.canary"]


async def test_a_client_resumes_after_its_last_event_id(live_server, token_issuer):
    url, app = live_server
    bus: EventBus = app.state.events
    published = [
        await bus.publish("task.updated", {"n": n}, visible_to=Visibility.to_all())
        for n in range(5)
    ]
    headers = {**bearer(token_issuer, "alice"), "Last-Event-ID": str(published[1].id)}
    async with (
        httpx.AsyncClient(base_url=url) as http,
        http.stream("GET", "/events", headers=headers) as stream,
    ):
        await wait_for_subscribers(bus, 1)
        live = await bus.publish("task.deleted", {"n": 5}, visible_to=Visibility.to_all())
        received = await read_events(stream, 4)

    assert [int(e.id or 0) for e in received] == [e.id for e in published[2:]] + [live.id]
    assert [e.json()["data"]["n"] for e in received] == [2, 3, 4, 5]


async def test_a_resume_from_beyond_the_buffer_starts_with_a_reset(live_server, token_issuer):
    url, app = live_server
    bus: EventBus = app.state.events
    for n in range(1005):
        await bus.publish("task.updated", {"n": n}, visible_to=Visibility.to_all())
    oldest_kept = bus.buffer[0].id
    headers = {**bearer(token_issuer, "alice"), "Last-Event-ID": str(oldest_kept - 5)}
    async with (
        httpx.AsyncClient(base_url=url) as http,
        http.stream("GET", "/events", headers=headers) as stream,
    ):
        first, second = await read_events(stream, 2)
    assert first.event == RESET
    assert int(second.id or 0) == oldest_kept
    assert len(bus.buffer) == 1000


async def test_the_stream_sends_heartbeats(settings, token_issuer, live_server_factory):
    url, _ = await live_server_factory(settings.model_copy(update={"events_heartbeat_s": 0.2}))
    async with (
        httpx.AsyncClient(base_url=url) as http,
        http.stream("GET", "/events", headers=bearer(token_issuer, "alice")) as stream,
    ):
        beats = await read_events(stream, 2, comments=True)
    assert all(beat.comment for beat in beats)


async def test_the_stream_needs_a_token_and_a_numeric_last_event_id(live_server, token_issuer):
    url, _ = live_server
    async with httpx.AsyncClient(base_url=url) as http:
        missing = await http.get("/events")
        bad_ids = [
            await http.get(
                "/events", headers={**bearer(token_issuer, "a"), "Last-Event-ID": bad_id}
            )
            for bad_id in (b"abc", b"-1", b"\xb9", b"9" * 20)
        ]
    assert missing.status_code == 401
    assert missing.json()["detail"]["code"] == "TOKEN_MISSING"
    assert [r.status_code for r in bad_ids] == [400] * 4
    assert {r.json()["detail"]["code"] for r in bad_ids} == {"INVALID_LAST_EVENT_ID"}


async def test_a_slow_subscriber_is_cut_off_instead_of_queueing_without_bound():
    bus = EventBus(queue_size=3)
    async with bus.subscribe(lambda event: True) as subscription:
        for n in range(50):
            await bus.publish("task.updated", {"n": n}, visible_to=Visibility.to_all())
        assert subscription.overflowed
        assert subscription.queue.qsize() == 3
    assert bus.subscriber_count == 0


async def test_ids_increase_and_resume_takes_only_what_the_subscriber_may_see():
    bus = EventBus()
    first = await bus.publish("a", {}, visible_to=Visibility.to_all())
    hidden = await bus.publish("b", {}, visible_to=Visibility.to_admins())
    shown = await bus.publish("c", {}, visible_to=Visibility.to_all())
    assert first.id < hidden.id < shown.id
    async with bus.subscribe(
        lambda e: not e.visible_to.roles and e.visible_to.everyone, first.id
    ) as sub:
        assert [e.id for e in sub.backlog] == [shown.id]
        assert not sub.needs_reset


async def test_processes_sharing_redis_see_one_numbered_stream(redis_url):
    prefix = f"test:{id(object())}"
    one = RedisEventBus(redis_url, prefix=prefix)
    two = RedisEventBus(redis_url, prefix=prefix)
    await one.start()
    await two.start()
    try:
        async with two.subscribe(lambda e: True) as subscription:
            a = await one.publish("task.created", {"labels": []}, visible_to=Visibility.to_all())
            b = await two.publish("task.updated", {}, visible_to=Visibility.to_admins())
            async with asyncio.timeout(5):
                received = [await subscription.queue.get(), await subscription.queue.get()]
        assert [e.id for e in received] == [a.id, b.id] and a.id < b.id
        assert received[0].data == {"labels": []}
        assert received[1].visible_to == Visibility.to_admins()

        late = RedisEventBus(redis_url, prefix=prefix)
        await late.start()
        assert [e.id for e in late.buffer] == [a.id, b.id]
        await late.stop()
    finally:
        await one.stop()
        await two.stop()
