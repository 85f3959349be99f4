"""Gateway settings, read once from GATEWAY_* environment variables."""

from pydantic import BaseModel, HttpUrl
from pydantic_settings import BaseSettings, SettingsConfigDict


class Upstream(BaseModel):
    name: str
    url: HttpUrl
    # Public path prefix, stripped before forwarding ("/api/auth/users" -> "/users").
    prefix: str
    connect_timeout_s: float = 2.0
    read_timeout_s: float = 30.0


class GatewaySettings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="GATEWAY_", env_nested_delimiter="__", extra="ignore"
    )

    environment: str = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "INFO"
    auth_url: HttpUrl = HttpUrl("http://127.0.0.1:8001")
    core_url: HttpUrl = HttpUrl("http://127.0.0.1:8002")
    shell_url: HttpUrl = HttpUrl("http://127.0.0.1:4100")
    readiness_timeout_s: float = 1.5

    def upstreams(self) -> list[Upstream]:
        return [
            Upstream(name="auth", url=self.auth_url, prefix="/api/auth"),
            Upstream(name="core", url=self.core_url, prefix="/api/core"),
        ]
