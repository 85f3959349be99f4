from auth_service.settings import AuthSettings
from platform_common.serve import serve


def main() -> None:
    settings = AuthSettings()
    serve("auth_service.app:create_app", settings.host, settings.port, settings.log_level)


if __name__ == "__main__":
    main()
