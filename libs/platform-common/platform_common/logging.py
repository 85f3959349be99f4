"""Structured JSON logs; every line logged while serving a request carries its id."""

import logging
import sys
from collections.abc import Callable
from typing import Any

import orjson
import structlog
from structlog.typing import Processor


def configure_logging(service: str, level: str = "INFO") -> None:
    shared: list[Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[
            *shared,
            # Tracebacks without the frames' local variables: those hold passwords and tokens.
            structlog.processors.ExceptionRenderer(
                structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
            ),
            structlog.processors.EventRenamer("message"),
            structlog.processors.JSONRenderer(serializer=json_line),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(sys.stdout),
        cache_logger_on_first_use=False,
    )
    structlog.contextvars.bind_contextvars(service=service)
    _route_stdlib_logs_through_structlog(level, shared)


def access_logger(service: str, level: str = "INFO") -> Any:
    """A logger for the one line each request writes: the shape of every other line through
    a shorter chain, since it runs on every request (the caller passes the request id rather
    than having it merged from the context, and an access line carries no traceback)."""
    return structlog.wrap_logger(
        structlog.PrintLogger(sys.stdout),
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.EventRenamer("message"),
            structlog.processors.JSONRenderer(serializer=json_line),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        context_class=dict,
    ).bind(service=service)


def json_line(event: dict[str, Any], default: Callable[[Any], Any] | None = None) -> str:
    """orjson renders a line in a fraction of the standard library's time (every request
    writes one); `default` is structlog's fallback for values JSON has no type for."""
    return orjson.dumps(event, default=default, option=orjson.OPT_NON_STR_KEYS).decode()


def _route_stdlib_logs_through_structlog(level: str, shared: list[Processor]) -> None:
    """uvicorn, pymongo and friends log via stdlib logging: render them as JSON too."""
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.EventRenamer("message"),
                structlog.processors.JSONRenderer(serializer=json_line),
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Our middleware writes the access log with the request id; uvicorn's would duplicate it.
    logging.getLogger("uvicorn.access").disabled = True
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
