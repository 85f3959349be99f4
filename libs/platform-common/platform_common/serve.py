"""Start a service's app factory under uvicorn with our logging and graceful shutdown."""

import uvicorn

# Requests in flight get this long to finish after SIGTERM/SIGINT.
GRACEFUL_SHUTDOWN_S = 10


def serve(factory: str, host: str, port: int, log_level: str = "info") -> None:
    uvicorn.run(
        factory,
        factory=True,
        host=host,
        port=port,
        log_config=None,
        log_level=log_level.lower(),
        proxy_headers=False,
        server_header=False,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    )
