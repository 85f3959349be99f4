"""The fragment registry's documents: fragments, their immutable versions, health samples
from the shells, and issued local-override tokens."""

from datetime import datetime
from typing import Annotated, Any

from beanie import Document, Indexed
from pydantic import BaseModel, Field, field_validator, model_validator
from pymongo import IndexModel

from core_api.models import utc_now
from core_api.registry.origins import origin_of
from platform_common.manifest_contract import Nav
from platform_common.tokens import Principal


def roles_admit(roles: list[str], principal: Principal | None) -> bool:
    """Whether a fragment (or version) with these `roles` is shown to the caller."""
    if "public" in roles:
        return True
    return principal is not None and not principal.roles.isdisjoint(roles)


class Stylesheet(BaseModel):
    url: str
    # None only for versions published before stylesheets were pinned, whose `css` held plain
    # URLs: never verified, so the manifest leaves them out (manifest.py).
    integrity: str | None

    @property
    def pinned(self) -> bool:
        return self.integrity is not None


class Canary(BaseModel):
    version: str
    percentage: int
    started_at: datetime
    started_by: str


class Fragment(Document):
    name: Annotated[str, Indexed(unique=True)]
    publisher_role: str
    description: str = ""
    # Who may see it by default (a version may declare its own): "public" is everyone,
    # signed in or not; any other entry is a role a user must hold.
    roles: list[str]
    enabled: bool = True
    # Origins an admin registered for its files besides the platform's policy (normalized,
    # e.g. its team's own CDN): publishing from them needs no platform setting.
    origins: list[str] = []
    active_version: str | None = None
    # Versions that were active before, most recent last: what `rollback` returns to.
    history: list[str] = []
    canary: Canary | None = None
    # Bumped by every change; a change applies only to the revision it was computed from.
    revision: int = 0
    created_at: datetime = Field(default_factory=utc_now)
    updated_at: datetime = Field(default_factory=utc_now)

    class Settings:
        name = "fragments"

    def public(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "publisher_role": self.publisher_role,
            "description": self.description,
            "roles": self.roles,
            "enabled": self.enabled,
            "origins": self.origins,
            "active_version": self.active_version,
            "previous_version": self.history[-1] if self.history else None,
            "canary": self.canary.model_dump() if self.canary else None,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }

    def readable_by(self, principal: Principal) -> bool:
        """Admins, its publishers and those it is shown to may read its registry entry."""
        return (
            principal.is_admin
            or principal.has_role(self.publisher_role)
            or roles_admit(self.roles, principal)
        )

    def served_versions(self) -> list[str]:
        versions = [self.active_version] if self.active_version else []
        return versions + ([self.canary.version] if self.canary else [])


class FragmentVersion(Document):
    """One published build. Never updated once inserted."""

    fragment: str
    version: str
    # Where its entry, stylesheets and preloads are served from, admitted at publish: what
    # the manifest tells the gateway to name in the page's CSP.
    origin: str
    entry: str
    integrity: str
    css: list[Stylesheet] = []
    preload: list[str] = []
    routes: list[str]
    nav: Nav | None = None
    roles: list[str]
    contract: str
    # npm ranges of the shared libraries it was built against ("@platform/sdk": "^1.0.0").
    shared: dict[str, str] = {}
    created_by: str
    created_at: datetime = Field(default_factory=utc_now)

    class Settings:
        name = "fragment_versions"
        indexes = [IndexModel([("fragment", 1), ("version", 1)], unique=True)]

    @model_validator(mode="before")
    @classmethod
    def _legacy_origin(cls, value: Any) -> Any:
        """Versions stored before origins were recorded: their entry's (checked at publish)."""
        if (
            isinstance(value, dict)
            and "origin" not in value
            and isinstance(value.get("entry"), str)
        ):
            return {**value, "origin": origin_of(value["entry"])}
        return value

    @field_validator("css", mode="before")
    @classmethod
    def _legacy_plain_urls(cls, value: Any) -> Any:
        """Versions stored before stylesheets carried an integrity list plain URLs."""
        if not isinstance(value, list):
            return value
        return [
            {"url": item, "integrity": None} if isinstance(item, str) else item for item in value
        ]

    def unpinned_css(self) -> list[str]:
        return [sheet.url for sheet in self.css if not sheet.pinned]

    def public(self) -> dict[str, Any]:
        return self.model_dump(exclude={"id", "revision_id"})


class HealthSample(Document):
    """What one user last reported about one fragment version: one document per (fragment,
    version, reporter), so a user reloading a hundred times still counts once."""

    fragment: str
    version: str
    reporter: str
    last_at: datetime
    failed_at: datetime | None = None
    failure: str | None = None

    class Settings:
        name = "fragment_health"
        indexes = [
            IndexModel([("fragment", 1), ("version", 1), ("reporter", 1)], unique=True),
            # Ascending only: FerretDB v1 drops the connection when Beanie re-sends a
            # descending index that exists (every restart).
            IndexModel([("fragment", 1), ("version", 1), ("last_at", 1)]),
            IndexModel([("last_at", 1)]),  # pruning samples older than the window
        ]


class OverrideGrant(Document):
    """An issued local-override token (the token itself is signed; this records who issued
    it, for whom, and its use, and lets it be revoked)."""

    token_id: Annotated[str, Indexed(unique=True)]
    fragment: str
    origin: str
    entry: str
    # The local build's stylesheets, on `origin`: unpinned like the entry (a build changes).
    css: list[str] = []
    subject: str
    issued_by: str
    issued_at: datetime = Field(default_factory=utc_now)
    expires_at: datetime
    revoked_at: datetime | None = None
    uses: int = 0
    first_used_at: datetime | None = None
    last_used_at: datetime | None = None

    class Settings:
        name = "fragment_overrides"

    def public(self) -> dict[str, Any]:
        return self.model_dump(exclude={"id", "revision_id"})


REGISTRY_DOCUMENTS: list[type[Document]] = [Fragment, FragmentVersion, HealthSample, OverrideGrant]
