"""Routes for the platform's other services only. The gateway never forwards a path under
`/internal/` (docs/gateway.md), so browsers and API clients cannot reach them."""

from typing import Annotated

from fastapi import APIRouter, Query, Response

from auth_service.deps import Context
from auth_service.principals import active_principals
from platform_common.principals import ActivePrincipals, PrincipalsQuery
from platform_common.revocation import RevocationFeedPage

router = APIRouter(prefix="/internal", tags=["internal"], include_in_schema=False)

# Followers poll every second or two; answers for one cursor are alike within a second.
FEED_MAX_AGE_S = 1


@router.get("/revocations", name="revocations_feed", response_model=RevocationFeedPage)
async def revocations(
    context: Context,
    response: Response,
    since: Annotated[int | None, Query(ge=0, le=2**40)] = None,
) -> RevocationFeedPage:
    """Revoked sessions changed since the cursor `since` (every live one without it)."""
    response.headers["Cache-Control"] = f"private, max-age={FEED_MAX_AGE_S}"
    return await context.revocations.changed_since(since)


@router.post("/principals", name="principals_check", response_model=ActivePrincipals)
async def principals(body: PrincipalsQuery) -> ActivePrincipals:
    """Which of `ids` are known, active users or service accounts (`client:<id>`), in the
    order asked; core-api asks before it makes someone a project member."""
    found = await active_principals(body.ids)
    return ActivePrincipals(active=[i for i in dict.fromkeys(body.ids) if i in found])
