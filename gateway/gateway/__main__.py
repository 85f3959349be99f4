from gateway.settings import GatewaySettings
from platform_common.serve import serve


def main() -> None:
    settings = GatewaySettings()
    serve("gateway.app:create_app", settings.host, settings.port, settings.log_level)


if __name__ == "__main__":
    main()
