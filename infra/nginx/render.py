"""Writes the platform's nginx configuration for one host from the templates beside this file.

    python infra/nginx/render.py --out /etc/nginx/farm-platform --gateway 127.0.0.1:8000 ...
    python infra/nginx/render.py --out .local/prod/nginx --standalone ...  (make prod, tests)

The output folder gets farm-platform.conf (the site: include it in nginx's http block, or link
it into sites-enabled), the snippets it includes and, with --standalone, an nginx.conf that runs
nginx as an ordinary process with its state under --state-dir. Check it with `nginx -t`.
"""

import argparse
import getpass
import os
import re
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
_PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")


def render(template: Path, values: dict[str, str]) -> str:
    text = template.read_text()
    missing = sorted(set(_PLACEHOLDER.findall(text)) - values.keys())
    if missing:
        raise SystemExit(f"{template.name}: no value for {', '.join(missing)}")
    return _PLACEHOLDER.sub(lambda match: values[match.group(1)], text)


def _port_suffix(listen: str) -> str:
    port = listen.rsplit(":", 1)[-1].split()[0]
    return "" if port == "443" else f":{port}"


def _user_directive(user: str) -> str:
    """Started by root, nginx's workers would otherwise become `nobody` and could not read
    the checkout or a test's private temp folders; as anyone else nginx keeps the caller."""
    if user == "none":
        return ""
    if user == "auto":
        return f"user {getpass.getuser()};\n" if os.geteuid() == 0 else ""
    return f"user {user};\n"


SHELL_FROM_DISK = """    # Shell assets from disk (the gateway would only proxy them to the shell host).
    location /shell/ {
        alias %(dist)s/;
        include %(snippets)s/farm-static.conf;
    }

"""

FRAGMENTS_FROM_DISK = """    # Fragment builds: /fragments/<name>/<version>/entry.js, every version kept side by side
    # so a rollback is only a registry change.
    location ~ ^/fragments/(?<fragment>[a-z0-9-]+)/(?<asset>.+)$ {
        alias %(root)s/$fragment/$asset;
        include %(snippets)s/farm-static.conf;
    }

"""

FRAGMENTS_FROM_HOST = """    # The fragment host (a container) serves every fragment's versioned builds under the
    # same /fragments/<name>/ paths, from the folder teams upload them to.
    location /fragments/ {
        proxy_pass %(url)s;
        include %(snippets)s/farm-proxy.conf;
    }

"""


def _fragment_locations(args: argparse.Namespace, snippets: str) -> str:
    blocks = []
    if args.fragments_host:
        url = args.fragments_host.rstrip("/")
        blocks.append(FRAGMENTS_FROM_HOST % {"url": url, "snippets": snippets})
    if args.fragments_root:
        root = str(args.fragments_root.resolve())
        blocks.append(FRAGMENTS_FROM_DISK % {"root": root, "snippets": snippets})
    return "".join(blocks)


def _shell_location(args: argparse.Namespace, snippets: str) -> str:
    if args.shell_dist is None:
        return ""
    return SHELL_FROM_DISK % {"dist": str(args.shell_dist.resolve()), "snippets": snippets}


def site_values(args: argparse.Namespace, out: Path) -> dict[str, str]:
    snippets = str(out / "snippets")
    return {
        "gateway_servers": "\n".join(
            f"    server {address} max_fails=2 fail_timeout=5s;" for address in args.gateway
        ),
        "server_name": args.server_name,
        "http_listen": args.http_listen,
        "https_listen": args.https_listen,
        "https_port_suffix": _port_suffix(args.https_listen),
        "tls_certificate": str(args.certificate.resolve()),
        "tls_certificate_key": str(args.certificate_key.resolve()),
        "shell_location": _shell_location(args, snippets),
        "fragment_locations": _fragment_locations(args, snippets),
        "snippets": snippets,
        "access_log": args.access_log,
    }


def write_config(args: argparse.Namespace) -> Path:
    out = args.out.resolve()
    (out / "snippets").mkdir(parents=True, exist_ok=True)
    for snippet in (HERE / "snippets").glob("*.conf"):
        shutil.copyfile(snippet, out / "snippets" / snippet.name)
    site = out / "farm-platform.conf"
    site.write_text(render(HERE / "farm-platform.conf.template", site_values(args, out)))
    if not args.standalone:
        return site
    state = (args.state_dir or out).resolve()
    for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (state / "tmp" / temp).mkdir(parents=True, exist_ok=True)
    main = out / "nginx.conf"
    main.write_text(
        render(
            HERE / "nginx.conf.template",
            {
                "user_directive": _user_directive(args.user),
                "state_dir": str(state),
                "error_log": args.error_log or str(state / "error.log"),
                "mime_types": args.mime_types,
                "site": str(site),
            },
        )
    )
    return main


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument(
        "--gateway",
        action="append",
        help="gateway instance host:port (repeat for several; default 127.0.0.1:8000)",
    )
    parser.add_argument("--server-name", default="_", help="nginx server_name (your domain)")
    parser.add_argument("--https-listen", default="443", help="e.g. 443 or 127.0.0.1:8443")
    parser.add_argument("--http-listen", default="80", help="plain HTTP, redirects to HTTPS")
    parser.add_argument(
        "--certificate", type=Path, default=ROOT / ".local/tls/dev-cert.pem", help="PEM chain"
    )
    parser.add_argument(
        "--certificate-key", type=Path, default=ROOT / ".local/tls/dev-key.pem", help="PEM key"
    )
    parser.add_argument(
        "--shell-dist",
        type=Path,
        default=ROOT / "mfe-shell/dist",
        help="the shell's build, served as /shell/ ('none': the gateway serves it)",
    )
    parser.add_argument(
        "--fragments-root",
        type=Path,
        default=Path("/srv/farm-platform/fragments"),
        help="folder of one folder of versioned builds per fragment ('none': no disk)",
    )
    parser.add_argument(
        "--fragments-host",
        metavar="URL",
        help="proxy /fragments/ to the fragment host (containers; use with --fragments-root none)",
    )
    parser.add_argument(
        "--user",
        default="auto",
        help="nginx worker user (standalone): 'auto' keeps the caller's, 'none' omits it",
    )
    parser.add_argument("--access-log", default="/var/log/nginx/farm-platform.access.log")
    parser.add_argument("--standalone", action="store_true", help="also write nginx.conf")
    parser.add_argument("--state-dir", type=Path, help="pid, temp files (standalone)")
    parser.add_argument("--error-log", help="error log path (standalone)")
    parser.add_argument("--mime-types", default="/etc/nginx/mime.types")
    args = parser.parse_args(argv)
    args.gateway = args.gateway or ["127.0.0.1:8000"]
    for option in ("shell_dist", "fragments_root"):
        if str(getattr(args, option)) == "none":
            setattr(args, option, None)
    return args


def main(argv: list[str] | None = None) -> None:
    print(write_config(parse_args(argv)))


if __name__ == "__main__":
    main()
