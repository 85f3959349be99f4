"""Auth service settings, read once from AUTH_* environment variables."""

from pydantic import AliasChoices, Field
from pydantic_settings import SettingsConfigDict

from platform_common.service import ServiceSettings


class AuthSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="AUTH_", extra="ignore")

    port: int = 8001
    database: str = "farm_auth"
    mongodb_uri: str = Field(
        "mongodb://127.0.0.1:27017",
        validation_alias=AliasChoices("AUTH_MONGODB_URI", "MONGODB_URI"),
    )
