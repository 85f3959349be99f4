"""Every environment variable the platform's services read, with its default:

    python infra/prod/settings_reference.py            # a table for docs/deploy/settings.md
    python infra/prod/settings_reference.py --names    # one name a line

Read from the services' own settings classes, so it is never out of date; the process model's
own variables (infra/prod/gunicorn.conf.py) are listed with them.
"""

import argparse
import importlib
from collections.abc import Iterator

from pydantic_settings import BaseSettings

from platform_common.production import env_name

SETTINGS_CLASSES = {
    "auth": "auth_service.settings:AuthSettings",
    "core": "core_api.settings:CoreSettings",
    "gateway": "gateway.settings:GatewaySettings",
    "static hosts": "platform_common.fragment_host:FragmentHostSettings",
}

PROCESS_MODEL = {
    "WEB_CONCURRENCY": "2",
    "AUTH_WORKERS": "WEB_CONCURRENCY",
    "CORE_WORKERS": "WEB_CONCURRENCY",
    "GATEWAY_WORKERS": "WEB_CONCURRENCY",
    "GUNICORN_TIMEOUT": "60",
    "GUNICORN_GRACEFUL_TIMEOUT": "30",
    "GUNICORN_KEEPALIVE": "75",
    "GUNICORN_MAX_REQUESTS": "0",
    "GUNICORN_PROXY_HEADERS": "true for the gateway",
    "GUNICORN_LOG_LEVEL": "info",
    "FORWARDED_ALLOW_IPS": "127.0.0.1,::1",
    "SHELL_PORT": "4100",
    "SHELL_DIST": "mfe-shell/dist",
    "FRAGMENTS_PORT": "4101",
    "FRAGMENTS_ROOT": "/srv/farm-platform/fragments",
}


def settings_class(service: str) -> type[BaseSettings]:
    module, name = SETTINGS_CLASSES[service].split(":")
    return getattr(importlib.import_module(module), name)


def service_variables(service: str) -> Iterator[tuple[str, str]]:
    cls = settings_class(service)
    probe = cls.model_construct()
    for name, field in cls.model_fields.items():
        default = (
            "(required)"
            if field.is_required()
            else repr(field.get_default(call_default_factory=True))
        )
        yield env_name(probe, name, field), default


def all_variables() -> dict[str, str]:
    names = {
        name: default
        for service in SETTINGS_CLASSES
        for name, default in service_variables(service)
    }
    return names | PROCESS_MODEL


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", action="store_true", help="only the names")
    args = parser.parse_args()
    for name, default in all_variables().items():
        print(name if args.names else f"| `{name}` | `{default}` |")


if __name__ == "__main__":
    main()
