"""Whether principals exist: the contract between the auth service, which knows the
accounts, and the services that must not trust an id they are handed (core-api's project
members). A principal is a user id, or `client:<client id>` for a service account.

The route is internal (`POST /internal/principals` on the auth service): the gateway never
forwards `/internal/...` (docs/decisions/0009-internal-routes-trust-the-private-network.md).
"""

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

PRINCIPALS_PATH = "internal/principals"
MAX_PRINCIPAL_IDS = 100

PrincipalId = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class PrincipalsQuery(BaseModel):
    ids: list[PrincipalId] = Field(min_length=1, max_length=MAX_PRINCIPAL_IDS)


class ActivePrincipals(BaseModel):
    """The asked-for ids that name a known, active user or service account."""

    active: list[str]
