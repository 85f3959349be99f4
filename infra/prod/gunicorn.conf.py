"""gunicorn settings shared by every platform process in production.

Each service runs as `gunicorn -c infra/prod/gunicorn.conf.py '<package>.app:create_app()'`
(infra/prod/gunicorn.sh picks the factory and address). Everything an operator tunes comes
from the environment, so systemd units, containers and `make prod` share this one file:

  GUNICORN_BIND               address to listen on (set by gunicorn.sh from <SERVICE>_HOST/PORT)
  WEB_CONCURRENCY             worker processes (gunicorn.sh sets it from <SERVICE>_WORKERS)
  GUNICORN_TIMEOUT            seconds a silent worker lives before it is killed and replaced
  GUNICORN_GRACEFUL_TIMEOUT   seconds requests in flight get after SIGTERM / SIGHUP
  GUNICORN_KEEPALIVE          seconds an idle keep-alive connection is kept (above nginx's)
  GUNICORN_MAX_REQUESTS       recycle a worker after this many requests (0: never)
  GUNICORN_PROXY_HEADERS      "true" on the edge process: take client address and scheme from
                              X-Forwarded-For/-Proto sent by FORWARDED_ALLOW_IPS (nginx)
  FORWARDED_ALLOW_IPS         the proxies believed (gunicorn's own variable)
  GUNICORN_LOG_LEVEL          gunicorn's own log level
  FARM_ENV_FILE               an environment file reread at every reload (systemd units set it)
  FARM_PROCESS                the process's name (set by gunicorn.sh): "gateway" picks the
                              GatewayWorker (a deadline for the request head)

SIGTERM stops gracefully, SIGHUP replaces the workers with ones running the new code and
settings (docs/deploy/upgrades.md), SIGTTIN/SIGTTOU add or remove a worker.
"""

import os
import subprocess
import sys
from pathlib import Path

from gunicorn.arbiter import Arbiter
from gunicorn.config import Config
from gunicorn.glogging import Logger
from uvicorn_worker import UvicornWorker

from platform_common.logging import configure_logging


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = _env_int("WEB_CONCURRENCY", 2)
timeout = _env_int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Longer than nginx's upstream keepalive_timeout (60s), so nginx never reuses a closed socket.
keepalive = _env_int("GUNICORN_KEEPALIVE", 75)
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 0)
max_requests_jitter = max_requests // 10
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")


def _env_file_settings(path: str | None) -> list[str]:
    """KEY=VALUE lines of FARM_ENV_FILE, read at every (re)load: `systemctl reload` (SIGHUP)
    then starts the new workers with the file's current settings, not the ones of boot."""
    if not path:
        return []
    lines = Path(path).read_text().splitlines()
    return [line for line in lines if "=" in line and not line.lstrip().startswith("#")]


raw_env = _env_file_settings(os.environ.get("FARM_ENV_FILE"))
# Each worker opens its own store and HTTP clients after the fork.
preload_app = False
# Several gunicorns run on one host; signals manage them, a shared control socket would clash.
control_socket_disable = True
# The apps write their own JSON access log (with request ids); gunicorn's would duplicate it.
accesslog = None


class PlatformWorker(UvicornWorker):
    """Uvicorn worker with the platform's serving options: no Server header, requests in
    flight (and SSE streams) cancelled cleanly just before gunicorn's graceful deadline."""

    CONFIG_KWARGS = {
        "loop": "auto",
        "http": "auto",
        "server_header": False,
        "proxy_headers": os.environ.get("GUNICORN_PROXY_HEADERS", "false").lower() == "true",
        "timeout_graceful_shutdown": max(graceful_timeout - 2, 1),
    }


class GatewayWorker(PlatformWorker):
    """The gateway's worker: uvloop and uvicorn's httptools protocol with a deadline for the
    request head and a lingering close (gateway/gateway/server.py), so a slowloris client is
    cut off and a refused upload still gets its answer, as under `python -m gateway`. Named as a string, uvicorn imports it in each worker: the master
    imports no service code (see on_starting)."""

    CONFIG_KWARGS = {
        **PlatformWorker.CONFIG_KWARGS,
        "loop": "uvloop",
        "http": "gateway.server:GatewayProtocol",
    }


# gunicorn.sh exports the process's name; the other processes keep the plain worker.
worker_class = GatewayWorker if os.environ.get("FARM_PROCESS") == "gateway" else PlatformWorker


class JsonLogger(Logger):
    """gunicorn's own lines (boot, worker exits, signals) as the same JSON as the apps'."""

    def setup(self, cfg: Config) -> None:
        super().setup(cfg)
        configure_logging(cfg.proc_name or "gunicorn", cfg.loglevel.upper())
        for log in (self.error_log, self.access_log):
            log.handlers[:] = []
            log.propagate = True


logger_class = JsonLogger

# Which settings each service reads, for the production checks below.
SETTINGS_CLASSES = {
    "auth": "auth_service.settings:AuthSettings",
    "core": "core_api.settings:CoreSettings",
    "gateway": "gateway.settings:GatewaySettings",
}


def on_starting(server: Arbiter) -> None:
    """Refuse to start, one line per problem, before any worker boots: production settings
    must not carry development defaults. Checked in a child process: the master must not
    import service code, or workers forked after a reload would run the old code."""
    target = SETTINGS_CLASSES.get(server.cfg.proc_name)
    if target is None:
        return
    check = subprocess.run(
        [sys.executable, "-m", "platform_common.production", target],
        capture_output=True,
        text=True,
        check=False,
    )
    for line in check.stdout.splitlines():
        server.log.error("%s", line)
    if check.returncode != 0:
        if not check.stdout:
            server.log.error("%s", check.stderr.strip().splitlines()[-1:])
        sys.exit(1)
