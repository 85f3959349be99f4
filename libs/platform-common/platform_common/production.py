"""The checks every service's settings pass before it serves in production.

Outside `environment=development` a service must not start with: no MONGODB_URI (the default
points at a developer's embedded store), a secret still at its built-in development value, a
folder of generated development keys, or `*` in a list of allowed origins or hosts. Each
problem is one line naming the variable to set. The production process model
(infra/prod/gunicorn.conf.py) runs these checks before any worker starts, in a process of
their own (`python -m platform_common.production auth_service.settings:AuthSettings`) so the
gunicorn master never imports service code a reload must replace; a service may also call
`ensure_production_ready(settings)` in its app factory.
"""

import importlib
import sys
from pathlib import Path
from typing import Any

from pydantic import SecretStr, ValidationError
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings

_SECRET_WORDS = ("secret", "password", "signing_key", "token_key")
_WILDCARD_LISTS = ("allowed_hosts",)


class ProductionSettingsError(SystemExit):
    """Raised (exits) with every problem found, one per line."""


def env_name(settings: BaseSettings, name: str, field: FieldInfo) -> str:
    """The variable an operator sets for this field (its first alias, else prefix + name)."""
    alias = field.validation_alias
    choices = getattr(alias, "choices", None)
    if choices:
        return str(choices[0]).upper()
    if isinstance(alias, str):
        return alias.upper()
    return f"{settings.model_config.get('env_prefix', '')}{name}".upper()


def _plain(value: Any) -> Any:
    return value.get_secret_value() if isinstance(value, SecretStr) else value


def _is_wildcard_list(name: str, value: Any) -> bool:
    listed = name.endswith("_origins") or name in _WILDCARD_LISTS
    return listed and isinstance(value, list) and any(str(v).strip() == "*" for v in value)


def _is_default_secret(name: str, value: Any, field: FieldInfo) -> bool:
    secret = any(word in name for word in _SECRET_WORDS)
    return secret and isinstance(value, str) and bool(value) and value == _plain(field.default)


def _is_development_folder(settings: BaseSettings, name: str, value: Any) -> bool:
    # Keys given inline (AUTH_SIGNING_KEYS) make the keys folder irrelevant.
    keys_given = bool(getattr(settings, "signing_keys", None))
    left_default = name not in settings.model_fields_set
    return isinstance(value, Path) and ".local" in value.parts and left_default and not keys_given


def _problem(settings: BaseSettings, name: str, field: FieldInfo) -> str | None:
    value = _plain(getattr(settings, name))
    variable = env_name(settings, name, field)
    if name == "mongodb_uri" and name not in settings.model_fields_set:
        return "MONGODB_URI is not set: production needs your MongoDB replica set's address"
    if _is_wildcard_list(name, value):
        return f"{variable} contains '*': list the exact origins or hosts allowed"
    if _is_default_secret(name, value, field):
        return f"{variable} is still the development default: set a secret of your own"
    if _is_development_folder(settings, name, value):
        return f"{variable} points at the development folder {value}: set it to your own"
    return None


def production_problems(settings: BaseSettings) -> list[str]:
    """Every reason these settings are unfit for production ([] in development)."""
    if getattr(settings, "environment", "development") == "development":
        return []
    fields = type(settings).model_fields
    found = (_problem(settings, name, field) for name, field in fields.items())
    return [problem for problem in found if problem]


def ensure_production_ready(settings: BaseSettings) -> None:
    """Exit with one line per problem when these settings must not serve production."""
    problems = production_problems(settings)
    if problems:
        raise ProductionSettingsError("\n".join(f"refusing to start: {p}" for p in problems))


def problems_of(target: str) -> list[str]:
    """The problems of the settings class `module:Class` as the environment fills it."""
    module_name, class_name = target.split(":")
    settings_class = getattr(importlib.import_module(module_name), class_name)
    try:
        return production_problems(settings_class())
    except ValidationError as error:
        return [e["msg"].removeprefix("Value error, ") for e in error.errors()]


def main() -> None:
    problems = problems_of(sys.argv[1])
    for problem in problems:
        print(f"refusing to start: {problem}")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
