"""Auth service settings, read once from AUTH_* environment variables."""

from pathlib import Path

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import SettingsConfigDict

from platform_common.service import ServiceSettings

DAY_S = 24 * 3600


class AuthSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="AUTH_", extra="ignore")

    port: int = 8001
    database: str = "farm_auth"
    mongodb_uri: str = Field(
        "mongodb://127.0.0.1:27017",
        validation_alias=AliasChoices("AUTH_MONGODB_URI", "MONGODB_URI"),
    )

    # Tokens. The issuer is the public address of this service (through the gateway).
    jwt_issuer: str = "http://127.0.0.1:8000/api/auth"
    jwt_audience: str = "farm-platform"
    access_token_lifetime_s: int = Field(900, ge=30, le=DAY_S)
    refresh_token_lifetime_s: int = Field(14 * DAY_S, ge=60, le=365 * DAY_S)
    refresh_sweep_interval_s: float = Field(3600.0, gt=0)
    # Revoked sessions are published here too (pub/sub) when set; the feed serves them always.
    revocation_redis_url: str | None = None
    # The public path of the session endpoints: the refresh cookie is sent only there.
    refresh_cookie_path: str = "/api/auth/jwt"

    # Signing keys: PEM private keys in AUTH_SIGNING_KEYS (newest last) or *.pem files in
    # keys_dir. Outside development the service refuses to start without them.
    keys_dir: Path = Path(".local/keys")
    signing_keys: SecretStr | None = None
    key_reload_interval_s: float = Field(30.0, gt=0)
    # Signs the short-lived reset-password and verify-e-mail links; read from
    # keys_dir/link-secret when not set here.
    link_token_secret: SecretStr | None = None

    # Accounts
    verification_required: bool = False
    password_min_length: int = Field(10, ge=10)
    # zxcvbn's score (0-4) a password needs: 3 resists an offline attack on a slow hash.
    password_min_score: int = Field(3, ge=0, le=4)
    argon2_time_cost: int = Field(3, ge=1)
    argon2_memory_kib: int = Field(65536, ge=8)
    argon2_parallelism: int = Field(4, ge=1)

    # Brute-force limits on failed sign-ins and failed client authentications at /token,
    # in the `limits` library's notation.
    login_account_limit: str = "5/15 minutes"
    login_address_limit: str = "50/15 minutes"
    client_address_limit: str = "50/15 minutes"
    # Names one user may look up in the directory (ids asked for, not requests).
    directory_lookup_limit: str = "3000/hour"
    # Exact e-mail look-ups one user may make (to add project members), found or not.
    email_lookup_limit: str = "30/15 minutes"
    rate_limit_storage: str = "async+memory://"
    # Proxies whose X-Forwarded-For/-Proto are believed (the gateway).
    trusted_proxies: list[str] = ["127.0.0.1"]
    max_body_bytes: int = 64 * 1024

    # Mail (forgot password, verify e-mail); `make run` starts a local sink on 1025.
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = False
    smtp_timeout_s: float = 10.0
    mail_from: str = "Farm platform <no-reply@farm.localhost>"
    # Where links in mails point (the shell, through the gateway).
    public_url: str = "http://127.0.0.1:8000"

    @property
    def is_development(self) -> bool:
        return self.environment == "development"
