"""Core API settings, read once from CORE_* environment variables."""

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import SettingsConfigDict

from core_api.registry.settings import RegistrySettingsMixin
from platform_common.principals import PRINCIPALS_PATH
from platform_common.service import ServiceSettings
from platform_common.tokens import TokenSettingsMixin

# Signs list cursors in development only: production refuses to start with it
# (platform_common.production), so cursors signed with this are good for nothing else.
DEVELOPMENT_CURSOR_KEY = "development-only-cursor-signing-key-not-for-production"


class CoreSettings(ServiceSettings, TokenSettingsMixin, RegistrySettingsMixin):
    model_config = SettingsConfigDict(env_prefix="CORE_", extra="ignore")

    port: int = 8002
    database: str = "farm_core"
    mongodb_uri: str = Field(
        "mongodb://127.0.0.1:27017",
        validation_alias=AliasChoices("CORE_MONGODB_URI", "MONGODB_URI"),
    )
    # Live events: unset = one process, in memory; a redis:// URL = shared by all processes.
    events_redis_url: str | None = None
    events_buffer_size: int = Field(1000, ge=1000)
    events_queue_size: int = Field(256, ge=1)
    events_heartbeat_s: float = Field(15.0, gt=0)
    # Signs list cursors (HMAC-SHA256), so a client can only hand back a cursor core-api made;
    # every core-api process must share it. At least 32 characters.
    cursor_secret: SecretStr = Field(SecretStr(DEVELOPMENT_CURSOR_KEY), min_length=32)
    # Where project members are checked against the auth service's accounts; defaults to
    # the auth service that serves the JWKS (same host and path prefix). A "yes" is kept
    # for known_ttl_s, a "no" for unknown_ttl_s; an auth service slower than timeout_s
    # counts as unreachable (503).
    principals_url: str | None = None
    principals_known_ttl_s: float = Field(60.0, ge=0, le=600)
    principals_unknown_ttl_s: float = Field(5.0, ge=0, le=60)
    principals_timeout_s: float = Field(2.0, gt=0, le=30)
    # The auth service's admin user list (`GET /users?ids=`), where an admin's override for
    # another user finds that user's e-mail (with the admin's token); defaults like the above.
    auth_users_url: str | None = None
    # How often stuck version claims (a writer died between claiming and writing) are swept.
    claims_sweep_interval_s: float = Field(60.0, gt=0)
    # A task write still unfinished after recovery_after_s was interrupted by a crash; such
    # writes are repaired at start-up and every recovery_interval_s (core_api/recovery.py).
    recovery_after_s: float = Field(10.0, gt=0)
    recovery_interval_s: float = Field(2.0, gt=0)

    @property
    def auth_users_endpoint(self) -> str:
        if self.auth_users_url:
            return self.auth_users_url
        return self.jwks_url.removesuffix(".well-known/jwks.json") + "users"

    @property
    def principals_endpoint(self) -> str:
        if self.principals_url:
            return self.principals_url
        return self.jwks_url.removesuffix(".well-known/jwks.json") + PRINCIPALS_PATH
