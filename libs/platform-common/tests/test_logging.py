"""Log lines are JSON and carry the request id of the request they were written for."""

import json

import httpx
import structlog
from fastapi import FastAPI

from platform_common.health import health_router
from platform_common.logging import configure_logging
from platform_common.middleware import RequestContextMiddleware


async def test_access_line_is_json_with_the_request_id(capsys):
    configure_logging("test-service", "INFO")
    app = FastAPI()
    app.add_middleware(RequestContextMiddleware, service="test-service", log_level="INFO")
    app.include_router(health_router({}, service="test"))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as client:
        response = await client.get("/healthz", headers={"X-Request-ID": "req-42"})
    assert response.headers["x-request-id"] == "req-42"
    lines = [
        json.loads(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")
    ]
    access = [line for line in lines if line.get("message") == "request"]
    assert "request_id" not in structlog.contextvars.get_contextvars()
    assert access == [
        {
            "service": "test-service",
            "request_id": "req-42",
            "level": "info",
            "timestamp": access[0]["timestamp"],
            "message": "request",
            "method": "GET",
            "path": "/healthz",
            "status": 200,
            "duration_ms": access[0]["duration_ms"],
        }
    ]


def test_an_error_log_carries_the_traceback_but_not_local_variables(capsys):
    configure_logging("test-service", "INFO")
    log = structlog.get_logger("test")
    password = "hunter2-secret"
    try:
        raise ValueError(f"bad input of length {len(password)}")
    except ValueError:
        log.exception("failed")
    line = next(
        json.loads(line) for line in capsys.readouterr().out.splitlines() if '"failed"' in line
    )
    assert line["exception"][0]["exc_type"] == "ValueError"
    assert "hunter2-secret" not in json.dumps(line)
