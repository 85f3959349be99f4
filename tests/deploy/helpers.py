"""Helpers for the deployment tests: nginx configurations rendered by infra/nginx/render.py,
a real nginx run as an ordinary process on free ports, and curl over HTTP/2."""

import os
import shutil
import signal
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pytest

from conftest import ROOT, free_port, wait_for_port

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def require(tool: str) -> str:
    """The tool's path; a missing one fails the test: setup installs every one of them."""
    path = shutil.which(tool) or (tool if Path(tool).exists() else None)
    if path is None:
        pytest.fail(f"{tool} is missing: run 'make setup-test' (infra/scripts/setup.sh test)")
    return path


def render_nginx(out: Path, tls_dir: Path, *extra: str) -> Path:
    """Renders the standalone configuration into `out`; returns nginx.conf's path."""
    result = subprocess.run(
        [
            "python3",
            ROOT / "infra/nginx/render.py",
            "--out",
            out,
            "--standalone",
            "--certificate",
            tls_dir / "dev-cert.pem",
            "--certificate-key",
            tls_dir / "dev-key.pem",
            "--access-log",
            out / "access.log",
            "--error-log",
            out / "error.log",
            *map(str, extra),
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return Path(result.stdout.strip())


def render_nginx_for_gateways(
    out: Path, tls_dir: Path, https_port: int, gateways: Iterable[str]
) -> Path:
    """nginx on HTTPS `https_port` in front of the `gateways` (host:port) alone: no shell or
    fragment files."""
    addresses = [arg for gateway in gateways for arg in ("--gateway", gateway)]
    return render_nginx(
        out,
        tls_dir,
        "--https-listen",
        f"127.0.0.1:{https_port}",
        "--http-listen",
        f"127.0.0.1:{free_port()}",
        "--fragments-root",
        "none",
        *addresses,
    )


def nginx_test(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [require(NGINX), "-t", "-p", config.parent, "-c", config],
        capture_output=True,
        text=True,
    )


class Nginx:
    """nginx in the foreground on free ports, stopped gracefully (SIGQUIT) at the end."""

    def __init__(self, config: Path, https_port: int) -> None:
        self.config = config
        self.https_port = https_port
        self.process = subprocess.Popen(
            [require(NGINX), "-p", config.parent, "-c", config, "-g", "daemon off;"],
            stderr=subprocess.PIPE,
            text=True,
        )
        wait_for_port("127.0.0.1", https_port)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGQUIT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def curl(url: str, *options: str) -> subprocess.CompletedProcess[str]:
    """curl over HTTP/2 trusting nothing but the test's own certificate authority (-k: the
    dev certificate is self-signed); prints headers, then the body."""
    return subprocess.run(
        [require("curl"), "-sS", "-k", "--http2", "-D", "-", *options, url],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "NO_PROXY": "*"},
    )


def headers_of(output: str) -> tuple[str, dict[str, str]]:
    """The status line and headers (lower-cased names) of curl -D - output's last response."""
    text = output.replace("\r\n", "\n")
    blocks = [b for b in text.split("\n\n") if b.startswith("HTTP/")]
    lines = blocks[-1].split("\n")
    pairs = (line.split(":", 1) for line in lines[1:] if ":" in line)
    return lines[0], {name.strip().lower(): value.strip() for name, value in pairs}
