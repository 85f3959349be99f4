"""Live change events: a bus that numbers events, keeps the last ones for resume, and fans
them out to subscribers, each seeing only what it may see.

`EventBus` works inside one process. `RedisEventBus` (selected by CORE_EVENTS_REDIS_URL)
lets several core-api processes share one numbered stream through Redis: a Lua script
numbers, remembers and publishes each event atomically, and every process relays what it
hears on the channel to its own subscribers.

A subscriber has a bounded queue. One that falls that far behind is dropped (its stream
ends); the browser's EventSource reconnects with Last-Event-ID and catches up from the
replay buffer, so a slow client can never make the server hold an unbounded backlog.
"""

import asyncio
import contextlib
import json
import time
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import structlog
from fastapi.encoders import jsonable_encoder

from platform_common.tokens import Principal

log = structlog.get_logger("events")


@dataclass(frozen=True)
class Visibility:
    """Who may see an event. Admins see every event; others see it when it is for everyone,
    when they hold one of `roles`, or when their subject is among `users`."""

    everyone: bool = False
    roles: frozenset[str] = frozenset()
    users: frozenset[str] = frozenset()
    project_id: str | None = None

    @classmethod
    def to_all(cls) -> "Visibility":
        return cls(everyone=True)

    @classmethod
    def to_admins(cls) -> "Visibility":
        return cls()

    @classmethod
    def to_roles(cls, *roles: str) -> "Visibility":
        return cls(everyone="public" in roles, roles=frozenset(roles))

    @classmethod
    def to_project(cls, project_id: str, member_ids: Iterable[str]) -> "Visibility":
        """The members of a project at the time of the change (former members included by
        the caller when the change removes them, so they learn they lost access)."""
        return cls(users=frozenset(member_ids), project_id=project_id)

    def admits(self, principal: Principal) -> bool:
        return (
            self.everyone
            or principal.is_admin
            or principal.subject in self.users
            or not self.roles.isdisjoint(principal.roles)
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "everyone": self.everyone,
            "roles": sorted(self.roles),
            "users": sorted(self.users),
            "project_id": self.project_id,
        }

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> "Visibility":
        return cls(
            everyone=bool(raw.get("everyone")),
            roles=frozenset(raw.get("roles", ())),
            users=frozenset(raw.get("users", ())),
            project_id=raw.get("project_id"),
        )


@dataclass(frozen=True)
class Event:
    id: int
    type: str
    data: dict[str, Any]
    visible_to: Visibility
    time: str

    def to_json(self) -> str:
        return json.dumps(
            {
                "id": self.id,
                "type": self.type,
                "data": self.data,
                "visible_to": self.visible_to.to_json(),
                "time": self.time,
            }
        )

    @classmethod
    def from_json(cls, raw: str | bytes) -> "Event":
        fields = json.loads(raw)
        return cls(
            id=int(fields["id"]),
            type=fields["type"],
            data=fields["data"],
            visible_to=Visibility.from_json(fields["visible_to"]),
            time=fields["time"],
        )


# Sent first when a resume cannot be complete (the asked-for events left the buffer, or the
# server restarted): the client should reload its state instead of trusting the stream.
RESET = "stream.reset"


@dataclass(eq=False)
class Subscription:
    may_see: Callable[[Event], bool]
    queue: asyncio.Queue[Event]
    backlog: list[Event]
    needs_reset: bool
    overflowed: bool = field(default=False)

    def offer(self, event: Event) -> None:
        if self.overflowed or not self.may_see(event):
            return
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.overflowed = True


class EventBus:
    """In-process bus. Ids start at the start-up time in milliseconds so that ids stay
    increasing across restarts and a resume from before a restart is seen as a gap."""

    def __init__(self, *, buffer_size: int = 1000, queue_size: int = 256) -> None:
        self.buffer: deque[Event] = deque(maxlen=buffer_size)
        self.queue_size = queue_size
        self._subscriptions: set[Subscription] = set()
        self._last_id = int(time.time() * 1000)

    async def start(self) -> None:
        return None

    async def stop(self) -> None:
        return None

    async def publish(self, type: str, data: dict[str, Any], *, visible_to: Visibility) -> Event:
        self._last_id += 1
        event = Event(self._last_id, type, jsonable_encoder(data), visible_to, _now())
        self._deliver(event)
        return event

    def _deliver(self, event: Event) -> None:
        if self.buffer and event.id <= self.buffer[-1].id:
            return  # already delivered (a Redis replay overlapping what we heard live)
        self.buffer.append(event)
        for subscription in list(self._subscriptions):
            subscription.offer(event)

    @asynccontextmanager
    async def subscribe(
        self, may_see: Callable[[Event], bool], last_event_id: int | None = None
    ) -> AsyncIterator[Subscription]:
        """Registers the subscriber and takes the replay backlog in one step (no await in
        between), so no event falls between the two."""
        subscription = Subscription(
            may_see=may_see,
            queue=asyncio.Queue(self.queue_size),
            backlog=[e for e in self.buffer if last_event_id is not None and e.id > last_event_id],
            needs_reset=self._is_gap(last_event_id),
        )
        subscription.backlog = [e for e in subscription.backlog if may_see(e)]
        self._subscriptions.add(subscription)
        try:
            yield subscription
        finally:
            self._subscriptions.discard(subscription)

    def _is_gap(self, last_event_id: int | None) -> bool:
        if last_event_id is None or not self.buffer:
            return False
        oldest, newest = self.buffer[0].id, self.buffer[-1].id
        return last_event_id < oldest - 1 or last_event_id > newest

    @property
    def subscriber_count(self) -> int:
        return len(self._subscriptions)


# Numbers the event, keeps it in a capped list and publishes it, atomically, so every
# process sees one order and a process that starts later can load the recent history.
# The JSON is passed through untouched ("<id> <json>"): Lua's cjson would turn [] into {}.
_PUBLISH_SCRIPT = """
local id = redis.call('INCR', KEYS[1])
local message = id .. ' ' .. ARGV[1]
redis.call('RPUSH', KEYS[2], message)
redis.call('LTRIM', KEYS[2], -tonumber(ARGV[2]), -1)
redis.call('PUBLISH', KEYS[3], message)
return message
"""


def _decode_message(message: bytes | str) -> Event:
    raw = message.encode() if isinstance(message, str) else message
    id_text, _, body = raw.partition(b" ")
    event = Event.from_json(body)
    return Event(int(id_text), event.type, event.data, event.visible_to, event.time)


class RedisEventBus(EventBus):
    def __init__(
        self,
        url: str,
        *,
        prefix: str = "core:events",
        buffer_size: int = 1000,
        queue_size: int = 256,
    ) -> None:
        super().__init__(buffer_size=buffer_size, queue_size=queue_size)
        from redis.asyncio import Redis

        self._redis = Redis.from_url(url)
        self._keys = [f"{prefix}:last_id", f"{prefix}:history", f"{prefix}:channel"]
        self._script = self._redis.register_script(_PUBLISH_SCRIPT)
        self._listener: asyncio.Task[None] | None = None

    async def start(self) -> None:
        pubsub = self._redis.pubsub()
        await pubsub.subscribe(self._keys[2])
        # Subscribed before reading the history, so nothing published in between is lost.
        await self._catch_up()
        self._listener = asyncio.create_task(self._listen(pubsub))

    async def stop(self) -> None:
        if self._listener:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        await self._redis.aclose()

    async def publish(self, type: str, data: dict[str, Any], *, visible_to: Visibility) -> Event:
        draft = Event(0, type, jsonable_encoder(data), visible_to, _now())
        encoded = await self._script(
            keys=self._keys, args=[draft.to_json(), self.buffer.maxlen or 1000]
        )
        return _decode_message(encoded)

    async def _catch_up(self) -> None:
        for message in await self._redis.lrange(self._keys[1], 0, -1):
            self._deliver(_decode_message(message))

    async def _listen(self, pubsub: Any) -> None:
        async with pubsub:
            while True:
                try:
                    async for message in pubsub.listen():
                        if message["type"] == "message":
                            self._deliver(_decode_message(message["data"]))
                except asyncio.CancelledError:
                    raise
                except Exception as error:
                    log.warning("redis event listener lost its connection", error=str(error))
                    await asyncio.sleep(1.0)
                    await self._resubscribe(pubsub)

    async def _resubscribe(self, pubsub: Any) -> None:
        try:
            await pubsub.subscribe(self._keys[2])
            await self._catch_up()  # what was published while we were away, from the history
        except Exception as error:
            log.warning("redis still unreachable", error=str(error))


def create_event_bus(redis_url: str | None, buffer_size: int, queue_size: int) -> EventBus:
    if redis_url:
        return RedisEventBus(redis_url, buffer_size=buffer_size, queue_size=queue_size)
    return EventBus(buffer_size=buffer_size, queue_size=queue_size)


@asynccontextmanager
async def event_bus_lifespan(
    app: Any, redis_url: str | None, buffer_size: int, queue_size: int
) -> AsyncIterator[None]:
    bus = create_event_bus(redis_url, buffer_size, queue_size)
    await bus.start()
    app.state.events = bus
    try:
        yield
    finally:
        await bus.stop()


def _now() -> str:
    return datetime.now(UTC).isoformat()
