import uvicorn

from gateway.server import GatewayProtocol
from gateway.settings import GatewaySettings
from platform_common.serve import GRACEFUL_SHUTDOWN_S


def main() -> None:
    settings = GatewaySettings()
    # uvloop and httptools are the fast event loop and HTTP parser (with a deadline for the
    # request head and a lingering close); several workers share the port (each with its own pools, breakers and
    # in-memory limits: use Redis to share limits).
    uvicorn.run(
        "gateway.app:create_app",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        loop="uvloop",
        http=GatewayProtocol,
        log_config=None,
        log_level=settings.log_level.lower(),
        proxy_headers=False,
        server_header=False,
        date_header=True,
        backlog=4096,
        timeout_keep_alive=30,
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_S,
    )


if __name__ == "__main__":
    main()
