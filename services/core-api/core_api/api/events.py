"""GET /events: the caller's live change stream as Server-Sent Events."""

import json
import re
from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import APIRouter, Header, Query
from pydantic.json_schema import SkipJsonSchema
from sse_starlette import EventSourceResponse, ServerSentEvent

from core_api.deps import CurrentPrincipal, Events, Settings
from core_api.errors import ErrorCode, bad_request
from core_api.events import RESET, Event, EventBus
from platform_common.errors import error_responses
from platform_common.tokens import Principal

router = APIRouter(tags=["events"])

# ASCII digits only: str.isdigit() also admits superscripts ("¹"), which int() refuses.
_EVENT_ID = re.compile(r"[0-9]{1,19}")


@router.get(
    "/events",
    name="events_stream",
    summary="Live stream of the changes the caller may see (Server-Sent Events)",
    response_class=EventSourceResponse,
    responses={
        200: {"content": {"text/event-stream": {}}},
        **error_responses({400: [ErrorCode.INVALID_LAST_EVENT_ID]}),
    },
)
async def stream_events(
    principal: CurrentPrincipal,
    bus: Events,
    settings: Settings,
    project_id: Annotated[
        str | None, Query(max_length=64, description="Only events of this project")
    ] = None,
    project: Annotated[
        str | None, Query(max_length=64, deprecated=True, description="Former name of project_id")
    ] = None,
    last_event_id: Annotated[
        str | SkipJsonSchema[None],  # a header is sent or not: it has no null
        Header(
            description="Resume after this event id (sent by EventSource)",
            # Declared; any other text is 400 INVALID_LAST_EVENT_ID (_parse_event_id).
            json_schema_extra={"pattern": "^([0-9]{1,19})?$"},
        ),
    ] = None,
) -> EventSourceResponse:
    resume_after = _parse_event_id(last_event_id)
    return EventSourceResponse(
        _stream(bus, principal, project_id or project, resume_after),
        ping=settings.events_heartbeat_s,
        headers={"X-Accel-Buffering": "no", "Cache-Control": "no-store"},
    )


def _parse_event_id(raw: str | None) -> int | None:
    if raw is None or raw == "":
        return None
    if not _EVENT_ID.fullmatch(raw):
        raise bad_request(ErrorCode.INVALID_LAST_EVENT_ID, "Last-Event-ID must be an event id")
    return int(raw)


async def _stream(
    bus: EventBus, principal: Principal, project: str | None, resume_after: int | None
) -> AsyncIterator[ServerSentEvent]:
    def may_see(event: Event) -> bool:
        if project is not None and event.visible_to.project_id != project:
            return False
        return event.visible_to.admits(principal)

    async with bus.subscribe(may_see, resume_after) as subscription:
        if subscription.needs_reset:
            yield ServerSentEvent(
                data=json.dumps({"reason": "Some events since Last-Event-ID are gone; reload"}),
                event=RESET,
            )
        for event in subscription.backlog:
            yield _as_sse(event)
        while True:
            event = await subscription.queue.get()
            yield _as_sse(event)
            if subscription.overflowed and subscription.queue.empty():
                return  # too slow: the client reconnects and resumes from the buffer


def _as_sse(event: Event) -> ServerSentEvent:
    payload = {"id": event.id, "type": event.type, "time": event.time, "data": event.data}
    return ServerSentEvent(data=json.dumps(payload), event=event.type, id=str(event.id))
