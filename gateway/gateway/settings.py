"""Gateway settings, read once from GATEWAY_* environment variables.

Nested values take JSON (`GATEWAY_ROUTES='[{"name": "core", ...}]'`) or the `__` delimiter
(`GATEWAY_CORS_ORIGINS='["https://app.example"]'`).
"""

from typing import Literal

from pydantic import BaseModel, Field, HttpUrl, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from platform_common.revocation import RevocationSettingsMixin

MiB = 1024 * 1024

# Where people and clients trade credentials for tokens: no bearer needed, tightly limited.
AUTH_CREDENTIAL_PATHS = [
    "/api/auth/jwt/login",
    "/api/auth/register",
    "/api/auth/forgot-password",
    "/api/auth/reset-password",
    "/api/auth/request-verify-token",
    "/api/auth/verify",
    "/api/auth/token",
]

# Paths under /api that need no bearer token (shell-style globs: `*` matches across `/`).
DEFAULT_PUBLIC_PATHS = [
    "/api/auth/jwt/*",  # login, logout, refresh
    *AUTH_CREDENTIAL_PATHS,
    "/api/auth/.well-known/*",
    "/api/auth/healthz",
    "/api/auth/readyz",
    "/api/auth/openapi.json",
    "/api/core/fragments/manifest",
    "/api/core/healthz",
    "/api/core/readyz",
    "/api/core/openapi.json",
]


class Upstream(BaseModel):
    """One service behind the gateway and how it is reached."""

    name: str
    url: HttpUrl
    # Public path prefix, stripped before forwarding ("/api/auth/users" -> "/users").
    prefix: str
    connect_timeout_s: float = 2.0
    read_timeout_s: float = 30.0
    write_timeout_s: float = 30.0
    pool_timeout_s: float = 5.0
    # Concurrent requests to it (each holds one connection); idle ones close after 30 s.
    max_connections: int = 256
    # Retries happen only for idempotent methods and only when no connection could be made.
    connect_retries: int = 2
    retry_backoff_s: float = 0.05
    retry_backoff_cap_s: float = 0.5
    breaker_failure_threshold: int = 5
    breaker_reset_timeout_s: float = 10.0
    max_body_bytes: int = 10 * MiB
    # Whether its OpenAPI document is merged into the gateway's /openapi.json.
    openapi: bool = True


class RateLimitRule(BaseModel):
    """A route group's limits, in the `limits` library's notation ("30/minute")."""

    group: str
    paths: list[str]
    per_client: str | None = None
    per_user: str | None = None


DEFAULT_RATE_LIMITS = [
    # Registration says whether an address has an account (docs/security.md, Decisions): an
    # address may try 50 an hour, enough for a team signing up behind one office address.
    RateLimitRule(group="auth-sign-up", paths=["/api/auth/register"], per_client="50/hour"),
    RateLimitRule(group="auth-credentials", paths=AUTH_CREDENTIAL_PATHS, per_client="30/minute"),
    RateLimitRule(
        group="auth", paths=["/api/auth/*"], per_client="600/minute", per_user="600/minute"
    ),
    RateLimitRule(
        group="core", paths=["/api/core/*"], per_client="1200/minute", per_user="1200/minute"
    ),
]


class GatewaySettings(BaseSettings, RevocationSettingsMixin):
    model_config = SettingsConfigDict(
        env_prefix="GATEWAY_", env_nested_delimiter="__", extra="ignore"
    )

    environment: str = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    workers: int = 1
    auth_url: HttpUrl = HttpUrl("http://127.0.0.1:8001")
    core_url: HttpUrl = HttpUrl("http://127.0.0.1:8002")
    shell_url: HttpUrl = HttpUrl("http://127.0.0.1:4100")
    # Replaces the default auth/core routes when set.
    routes: list[Upstream] | None = None
    readiness_timeout_s: float = 1.5

    # Edge auth. The JWKS URL defaults to the auth upstream's; revocation_* settings (see
    # RevocationSettingsMixin) say how revoked sessions are followed.
    jwks_url: str | None = None
    jwt_issuer: str = "http://127.0.0.1:8000/api/auth"
    jwt_audience: str = "farm-platform"
    public_paths: list[str] = Field(default_factory=lambda: list(DEFAULT_PUBLIC_PATHS))

    # Rate limits: memory:// per process, or redis://host:port/db shared by several gateways.
    rate_limits_enabled: bool = True
    rate_limit_storage_url: str = "memory://"
    rate_limit_strategy: Literal["moving-window", "sliding-window-counter", "fixed-window"] = (
        "moving-window"
    )
    rate_limits: list[RateLimitRule] = Field(default_factory=lambda: list(DEFAULT_RATE_LIMITS))

    # Browser-facing.
    cors_origins: list[str] = Field(default_factory=list)
    # True when a TLS-terminating proxy sits in front, so HSTS is sent on plain-HTTP hops too.
    behind_tls: bool = False
    hsts_max_age_s: int = 63072000
    gzip_min_bytes: int = 1024
    # A request body must arrive whole within this time (408 and the connection closed), so
    # a client trickling it cannot hold an upstream slot; every byte received extends the
    # deadline by 1/client_body_min_bytes_per_s seconds, so a large upload at a usable speed
    # is not cut off.
    client_body_timeout_s: float = 15.0
    client_body_min_bytes_per_s: int = 16 * 1024
    # Requests one client address may have in flight at once (429 and the connection closed
    # beyond; 0: no cap). Behind a proxy the address is the forwarded one. Per process.
    max_connections_per_client: int = 64
    max_url_bytes: int = 8192
    max_header_bytes: int = 32768
    allowed_hosts: list[str] = Field(default_factory=lambda: ["*"])

    # Shell page.
    shell_index_ttl_s: float = 2.0
    # Fragment origins are no setting here: the registry admits them and names each in the
    # manifest, and each page's CSP names those of its fragments (docs/decisions/0014).
    openapi_ttl_s: float = 30.0

    # /metrics asks for `Authorization: Bearer <metrics_token>` when it is set; without one it
    # is open in development and not served (404) anywhere else.
    metrics_token: SecretStr | None = None

    def upstreams(self) -> list[Upstream]:
        if self.routes is not None:
            return self.routes
        return [
            Upstream(name="auth", url=self.auth_url, prefix="/api/auth"),
            Upstream(name="core", url=self.core_url, prefix="/api/core"),
        ]

    def shell_upstream(self) -> Upstream:
        return Upstream(name="shell", url=self.shell_url, prefix="/shell", openapi=False)

    def jwks_endpoint(self) -> str:
        if self.jwks_url:
            return self.jwks_url
        auth = next((u for u in self.upstreams() if u.name == "auth"), None)
        base = str(auth.url if auth else self.auth_url).rstrip("/")
        return f"{base}/.well-known/jwks.json"
