"""The fragment registry's settings, mixed into CoreSettings (so read from CORE_* variables)."""

import json
from collections.abc import Sequence
from typing import Annotated, Self

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import NoDecode

from core_api.registry.checks import parse_semver
from core_api.registry.origins import is_loopback, origin_of

# Signs override tokens in development only; outside it CORE_FRAGMENT_OVERRIDE_SECRET is
# required, so tokens signed with this are good for nothing else.
DEVELOPMENT_SIGNING_KEY = "development-only-override-signing-key-not-for-production"

# What the shell provides through its import map besides the SDK, whose entry in the
# manifest's `shared` is always the platform's SDK version (sdk_version below).
DEFAULT_SHARED = {"react": "^19.2.0", "react-dom": "^19.2.0"}
SDK_PACKAGE = "@platform/sdk"
# The version of @platform/sdk the shell provides (packages/sdk/package.json "version"). A
# constant here because core-api is deployed without the JavaScript workspace; a test fails
# when the two differ, so bumping the package means bumping this (CORE_SDK_VERSION overrides
# it for a shell built from another SDK).
SDK_VERSION = "1.0.0"


class RegistrySettingsMixin(BaseModel):
    # The platform-wide policy of where fragment entries, CSS and preloads may come from
    # (e.g. the platform's CDN): CORE_FRAGMENT_ALLOWED_ORIGINS, comma-separated origins such as
    # "https://cdn.example.com" (a JSON list is read too). A fragment may also be served from
    # the origins an admin registered on it (Fragment.origins), and in development from any
    # loopback origin (fragment_origin_allowed): a new fragment or CDN needs no setting and
    # no restart (docs/decisions/0014).
    fragment_allowed_origins: Annotated[list[str], NoDecode] = []
    # Fragment contract versions the shell supports (CORE_FRAGMENT_CONTRACTS, comma-separated).
    fragment_contracts: Annotated[list[str], NoDecode] = ["1"]
    fragment_shared: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_SHARED))
    sdk_version: str = SDK_VERSION
    fragment_fetch_timeout_s: float = 5.0
    fragment_entry_max_bytes: int = 5_000_000

    # Health-gated canary: abort when more than `threshold` of the distinct users who reported
    # on the canary version within the window saw it fail, once enough users have reported.
    canary_failure_threshold: float = Field(0.2, ge=0.0, le=1.0)
    canary_window_s: int = Field(300, gt=0)
    canary_min_reporters: int = Field(20, ge=1)
    health_reports_per_minute: int = Field(30, ge=1)
    # How often each process prunes old health samples and transition claims.
    fragment_upkeep_interval_s: float = Field(30.0, gt=0)

    # Signs local override tokens (HMAC, at least 32 characters). Required outside development.
    fragment_override_secret: SecretStr | None = None
    fragment_override_max_ttl_s: int = Field(8 * 3600, gt=0)

    @field_validator("fragment_allowed_origins", mode="before")
    @classmethod
    def _origins(cls, value: object) -> list[str]:
        return [origin_of(item) for item in _split(value)]

    @field_validator("sdk_version")
    @classmethod
    def _sdk_version(cls, value: str) -> str:
        if parse_semver(value) is None:
            raise ValueError(f"CORE_SDK_VERSION {value!r} is not a semantic version")
        return value

    @field_validator("fragment_contracts", mode="before")
    @classmethod
    def _contracts(cls, value: object) -> list[str]:
        return _split(value)

    @model_validator(mode="after")
    def _secret_set_outside_development(self) -> Self:
        secret = self.fragment_override_secret
        development = getattr(self, "environment", "development") == "development"
        if secret is None and not development:
            raise ValueError("CORE_FRAGMENT_OVERRIDE_SECRET must be set outside development")
        if secret is not None and len(secret.get_secret_value()) < 32:
            raise ValueError("CORE_FRAGMENT_OVERRIDE_SECRET must be at least 32 characters")
        if not development and self.override_signing_key == DEVELOPMENT_SIGNING_KEY:
            raise ValueError(
                "CORE_FRAGMENT_OVERRIDE_SECRET is the public development key: anyone could sign"
                " override tokens with it; set a secret of your own"
            )
        return self

    def fragment_origin_allowed(self, origin: str, registered: Sequence[str] = ()) -> bool:
        """On the platform's policy (a listed origin, or in development one on this machine,
        any port), or among the fragment's own `registered` origins."""
        if origin in self.fragment_allowed_origins or origin in registered:
            return True
        return self.development and origin.startswith("http://") and is_loopback(origin)

    def describe_fragment_origins(self, registered: Sequence[str] = ()) -> str:
        listed = ", ".join(self.fragment_allowed_origins) or "none listed"
        policy = f"{listed}; in development also any http loopback origin"
        own = ", ".join(registered) or "none"
        return f"{policy if self.development else listed}; the fragment's own: {own}"

    @property
    def development(self) -> bool:
        return getattr(self, "environment", "development") == "development"

    @property
    def override_signing_key(self) -> str:
        secret = self.fragment_override_secret
        return secret.get_secret_value() if secret else DEVELOPMENT_SIGNING_KEY


def _split(value: object) -> list[str]:
    if isinstance(value, str) and value.lstrip().startswith("["):
        value = json.loads(value)
    if isinstance(value, str):
        return [item.strip() for item in value.split(",") if item.strip()]
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    raise ValueError("expected a comma-separated string or a list")
