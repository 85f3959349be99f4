from core_api.settings import CoreSettings
from platform_common.serve import serve


def main() -> None:
    settings = CoreSettings()
    serve("core_api.app:create_app", settings.host, settings.port, settings.log_level)


if __name__ == "__main__":
    main()
