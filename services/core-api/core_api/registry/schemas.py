"""Request bodies of the fragment registry's API."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from core_api.registry.models import Canary, Stylesheet
from platform_common.manifest_contract import FRAGMENT_NAME_PATTERN, Nav

FragmentName = Annotated[str, StringConstraints(pattern=FRAGMENT_NAME_PATTERN)]
RoleName = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^\S+$")]
Url = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class Input(BaseModel):
    """A request body: a misspelt field is refused rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")


class FragmentIn(Input):
    name: FragmentName
    publisher_role: RoleName | None = Field(
        None,
        description='Role whose holders may publish and operate it; "publisher:<name>" by default',
    )
    description: str = Field("", max_length=500)
    roles: list[RoleName] = Field(
        ["member"], min_length=1, max_length=20, description='"public" means everyone'
    )


class FragmentOriginsIn(Input):
    origins: list[Annotated[str, StringConstraints(min_length=1, max_length=300)]] = Field(
        max_length=20,
        description="Origins its files may be served from besides the platform's, e.g."
        ' ["https://cdn.reports.example.com"]: origins only (no path), https outside'
        " development; replaces the list ([] removes them all)",
    )


class StylesheetIn(Input):
    url: Url
    integrity: Annotated[str, StringConstraints(max_length=200)] = Field(
        description='"sha384-<base64>" of the file\'s bytes, checked at publish and by the browser'
    )


class VersionIn(Input):
    version: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    entry: Url
    integrity: Annotated[str, StringConstraints(max_length=200)]
    css: list[StylesheetIn] = Field([], max_length=20)
    preload: list[Url] = Field([], max_length=20)
    routes: list[Annotated[str, StringConstraints(max_length=200)]] = Field(
        min_length=1, max_length=20
    )
    nav: Nav | None = None
    roles: list[RoleName] | None = Field(
        None, min_length=1, max_length=20, description="The fragment's roles when omitted"
    )
    contract: Annotated[str, StringConstraints(min_length=1, max_length=16)]
    shared: dict[
        Annotated[str, StringConstraints(min_length=1, max_length=100)],
        Annotated[str, StringConstraints(min_length=1, max_length=100)],
    ] = Field(
        {},
        max_length=20,
        description="npm ranges of the shared libraries it was built against, e.g. "
        '{"@platform/sdk": "^1.0.0"}; the SDK\'s must admit the platform\'s SDK version',
    )


class VersionRef(Input):
    version: Annotated[str, StringConstraints(min_length=1, max_length=64)]


class CanaryIn(VersionRef):
    percentage: int = Field(ge=0, le=100, description="Share of signed-in users on the canary")


class HealthReportIn(Input):
    fragment: FragmentName
    version: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    outcome: Literal["success", "failure"]
    failure: Literal["load", "integrity", "mount", "runtime"] | None = Field(
        None, description="What went wrong, when outcome is failure"
    )


class HealthReportAccepted(BaseModel):
    accepted: bool = Field(description="The report was counted")
    canary_aborted: bool = Field(description="This report tipped the canary over its failure rate")


class OverrideIn(Input):
    origin: Url = Field(description='Where the local build is served, e.g. "http://localhost:5173"')
    entry: Url | None = Field(None, description='Its entry module; "<origin>/entry.js" by default')
    css: list[Url] = Field(
        [],
        max_length=20,
        description="Its stylesheets, on the same origin; linked without integrity, like the entry",
    )
    subject: Annotated[str, StringConstraints(min_length=1, max_length=128)] | None = Field(
        None, description="The user id the token is for; the caller by default"
    )
    ttl_s: int = Field(
        3600, ge=60, description="Lifetime, at most CORE_FRAGMENT_OVERRIDE_MAX_TTL_S"
    )


class FragmentOut(BaseModel):
    """A fragment's registry entry and what is live (Fragment.public())."""

    name: str
    publisher_role: str
    description: str
    roles: list[str]
    enabled: bool
    origins: list[str] = Field(
        description="Origins an admin registered for its files besides the platform's"
    )
    active_version: str | None
    previous_version: str | None
    canary: Canary | None
    created_at: datetime
    updated_at: datetime


class VersionOut(BaseModel):
    """One published build (FragmentVersion.public())."""

    fragment: str
    version: str
    origin: str = Field(description="Its entry's origin, where all its files are served from")
    entry: str
    integrity: str
    css: list[Stylesheet]
    preload: list[str]
    routes: list[str]
    nav: Nav | None
    roles: list[str]
    contract: str
    shared: dict[str, str]
    created_by: str
    created_at: datetime


class OverrideOut(BaseModel):
    """An issued local-override token's record and use (OverrideGrant.public())."""

    token_id: str
    fragment: str
    origin: str
    entry: str
    css: list[str]
    subject: str
    issued_by: str
    issued_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    uses: int
    first_used_at: datetime | None
    last_used_at: datetime | None


class OverrideIssued(OverrideOut):
    token: str = Field(description="The signed token itself: shown in this answer only")
