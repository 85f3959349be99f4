"""What the gateway costs: small GETs to core-api directly, through the gateway, and through
nginx as a reference proxy to the same core-api, measured by wrk in one run on this machine.

    make bench-gateway            (or: .venv/bin/python -m bench.gateway_bench --duration 10)

Starts its own store (FerretDB, unless MONGODB_URI is set), a JWKS, core-api, gateway and
nginx on free ports. Two requests are measured: `GET /healthz` (the cheapest answer
core-api has, so the ratios show the proxy's own cost at its most visible) and a signed-in
`GET /projects/{id}` (a real API read: edge auth, per-user limit, a store read). Each is
measured at `--connections` (16: throughput) and at `--latency-connections` (1: what one
request costs when nothing queues). It prints requests/s, p50/p99 latency, the CPU time the
gateway and core-api processes spent per request (robust when other work loads the
machine), the ratios gateway/direct and gateway/nginx, and the machine's load average.

`--pin` runs core-api and wrk on CPU 0 and the proxies (gateway, nginx) on the other CPUs,
as when the gateway runs on cores of its own (give it one worker per such CPU with
`--workers`); without it every process shares every CPU. Needs Debian's wrk and nginx
(`apt-get install wrk nginx`).
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.support import AUDIENCE, ISSUER, ROOT, Signer, free_port, store

PYTHON = ROOT / ".venv/bin/python"
HEALTH = "/healthz"
# CPU sets for --pin: the upstream and the load generator on the first CPU, the proxy under
# test (with its workers) on all the others.
UPSTREAM_CPUS, PROXY_CPUS = "0", f"1-{max(1, (os.cpu_count() or 2) - 1)}"

NGINX_CONF = """
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;
    upstream core {{ server 127.0.0.1:{core_port}; keepalive 64; }}
    server {{
        listen 127.0.0.1:{port};
        location /api/core/ {{
            proxy_pass http://core/;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Forwarded-For $remote_addr;
        }}
    }}
}}
"""


@dataclass
class Figures:
    name: str
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int
    cpu_ms_per_request: dict[str, float] = field(default_factory=dict)


def wait_until_ready(url: str, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer 200 within {timeout_s}s")


@dataclass
class Request:
    """One request measured three ways: its core-api path and the headers wrk sends."""

    label: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Layout:
    """Where processes run: everywhere, or (pinned) proxies apart from upstream and wrk."""

    pinned: bool

    def upstream(self, command: list[str]) -> list[str]:
        return ["taskset", "-c", UPSTREAM_CPUS, *command] if self.pinned else command

    def proxy(self, command: list[str]) -> list[str]:
        return ["taskset", "-c", PROXY_CPUS, *command] if self.pinned else command


@contextmanager
def process(command: list[str], env: dict[str, str] | None = None):
    started = subprocess.Popen(
        command,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield started
    finally:
        started.terminate()
        try:
            started.wait(timeout=15)
        except subprocess.TimeoutExpired:
            started.kill()


def process_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) used so far by a process and its worker children."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for task in Path(f"/proc/{pid}/task").iterdir():
        fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / ticks
        for child in (task / "children").read_text().split():
            total += process_cpu_s(int(child))
    return total


def serve_jwks(stack: ExitStack, workdir: Path, signer: Signer) -> str:
    """The signer's public keys over real HTTP, as the auth service would serve them."""
    folder = workdir / "jwks"
    folder.mkdir()
    (folder / "jwks.json").write_text(json.dumps(signer.jwks()))
    port = free_port()
    server = [str(PYTHON), "-m", "http.server", str(port), "--bind", "127.0.0.1"]
    stack.enter_context(process([*server, "--directory", str(folder)]))
    url = f"http://127.0.0.1:{port}/jwks.json"
    wait_until_ready(url)
    return url


def token_settings(prefix: str, jwks_url: str) -> dict[str, str]:
    return {
        f"{prefix}JWKS_URL": jwks_url,
        f"{prefix}JWT_ISSUER": ISSUER,
        f"{prefix}JWT_AUDIENCE": AUDIENCE,
    }


def start_core(stack: ExitStack, layout: Layout, store_uri: str, jwks_url: str) -> tuple[int, int]:
    port = free_port()
    env = {"CORE_PORT": str(port), "MONGODB_URI": store_uri, "CORE_DATABASE": "bench_core"}
    env |= {"CORE_LOG_LEVEL": "WARNING", **token_settings("CORE_", jwks_url)}
    started = stack.enter_context(process(layout.upstream([str(PYTHON), "-m", "core_api"]), env))
    wait_until_ready(f"http://127.0.0.1:{port}{HEALTH}")
    return port, started.pid


def start_gateway(
    stack: ExitStack, layout: Layout, core_port: int, workers: int, jwks_url: str
) -> tuple[int, int]:
    port = free_port()
    env = {
        "GATEWAY_PORT": str(port),
        "GATEWAY_CORE_URL": f"http://127.0.0.1:{core_port}",
        "GATEWAY_AUTH_URL": f"http://127.0.0.1:{free_port()}",
        "GATEWAY_WORKERS": str(workers),
        **token_settings("GATEWAY_", jwks_url),
        # Limits stay on (their cost is part of the figure) but high enough never to refuse.
        "GATEWAY_RATE_LIMIT_STRATEGY": "fixed-window",
        "GATEWAY_RATE_LIMITS": '[{"group": "core", "paths": ["/api/core/*"],'
        ' "per_client": "100000000/minute", "per_user": "100000000/minute"}]',
    }
    started = stack.enter_context(process(layout.proxy([str(PYTHON), "-m", "gateway"]), env))
    wait_until_ready(f"http://127.0.0.1:{port}/api/core{HEALTH}")
    return port, started.pid


def create_project(core_port: int, token: str) -> str:
    answer = httpx.post(
        f"http://127.0.0.1:{core_port}/projects",
        json={"name": "Bench", "key": "BENCH"},
        headers={"Authorization": f"Bearer {token}"},
    )
    answer.raise_for_status()
    return answer.json()["id"]


def start_nginx(stack: ExitStack, layout: Layout, workdir: Path, core_port: int) -> int | None:
    nginx = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if nginx is None:
        print("nginx not found (apt-get install nginx): the reference proxy is left out")
        return None
    port = free_port()
    conf_dir = workdir / "nginx"
    conf_dir.mkdir()
    conf = conf_dir / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=conf_dir, core_port=core_port, port=port))
    command = [nginx, "-c", str(conf), "-p", str(conf_dir), "-g", "daemon off;"]
    stack.enter_context(process(layout.proxy(command)))
    wait_until_ready(f"http://127.0.0.1:{port}/api/core{HEALTH}")
    return port


def ensure_debian_tools() -> None:
    """wrk and nginx come from Debian's packages; installed here when missing and root."""
    missing = [tool for tool in ("wrk", "nginx") if not _which(tool)]
    if not missing:
        return
    if os.geteuid() != 0:
        sys.exit(f"missing {' and '.join(missing)}: sudo apt-get install {' '.join(missing)}")
    print(f"Installing Debian's {' and '.join(missing)} (apt-get)")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", *missing],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )


def _which(tool: str) -> str | None:
    return shutil.which(tool) or shutil.which(tool, path="/usr/sbin:/usr/bin")


def wrk(
    name: str,
    url: str,
    request: Request,
    layout: Layout,
    duration_s: int,
    connections: int,
    watched: dict[str, int],
) -> Figures:
    """wrk's figures for `url`, with the CPU each `watched` process spent per request."""
    command = ["wrk", "-t1", f"-c{connections}"]
    for header, value in request.headers.items():
        command += ["-H", f"{header}: {value}"]
    # A short warm-up first: pools fill, caches settle.
    subprocess.run(layout.upstream([*command, "-d2s", url]), capture_output=True, check=True)
    cpu_before = {label: process_cpu_s(pid) for label, pid in watched.items()}
    output = subprocess.run(
        layout.upstream([*command, f"-d{duration_s}s", "--latency", url]),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    cpu_used = {label: process_cpu_s(pid) - cpu_before[label] for label, pid in watched.items()}
    requests = int(_find(r"(\d+) requests in", output))
    return Figures(
        name=name,
        requests_per_s=float(_find(r"Requests/sec:\s+([\d.]+)", output)),
        p50_ms=_milliseconds(_find(r"50%\s+([\d.]+\w+)", output)),
        p99_ms=_milliseconds(_find(r"99%\s+([\d.]+\w+)", output)),
        errors=sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output)),
        requests=requests,
        cpu_ms_per_request={
            label: used * 1000 / max(1, requests) for label, used in cpu_used.items()
        },
    )


def _find(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    if match is None:
        raise RuntimeError(f"wrk output lacks {pattern!r}:\n{text}")
    return match.group(1)


def _milliseconds(value: str) -> float:
    number = value.rstrip("smu")
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[value[len(number) :]]


def report(results: list[Figures], request: Request, connections: int, duration_s: int) -> None:
    print(f"\n{request.label}, wrk -t1 -c{connections} -d{duration_s}s:\n")
    print("| path | requests/s | p50 ms | p99 ms | non-2xx | CPU ms/request |")
    print("|---|---:|---:|---:|---:|---|")
    for figures in results:
        cpu = ", ".join(f"{label} {ms:.3f}" for label, ms in figures.cpu_ms_per_request.items())
        print(
            f"| {figures.name} | {figures.requests_per_s:,.0f} | {figures.p50_ms:.2f} |"
            f" {figures.p99_ms:.2f} | {figures.errors} | {cpu} |"
        )
    by_name = {figures.name: figures for figures in results}
    gateway, direct = by_name["gateway"], by_name["direct"]
    print(
        f"\ngateway/direct: throughput {gateway.requests_per_s / direct.requests_per_s:.0%},"
        f" p50 +{gateway.p50_ms - direct.p50_ms:.2f} ms"
    )
    if nginx := by_name.get("nginx"):
        print(
            f"gateway/nginx:  throughput {gateway.requests_per_s / nginx.requests_per_s:.0%},"
            f" p50 +{gateway.p50_ms - nginx.p50_ms:.2f} ms"
        )


def load_average() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--latency-connections", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1, help="gateway worker processes")
    parser.add_argument("--pin", action="store_true", help="proxies on CPUs 1+, the rest on 0")
    args = parser.parse_args()
    ensure_debian_tools()
    if args.pin and (os.cpu_count() or 1) < 2:
        sys.exit("--pin needs at least 2 CPUs")
    layout = Layout(pinned=args.pin)
    loads = [load_average()]
    tables = []
    with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="gateway-bench-") as tmp:
        workdir = Path(tmp)
        signer = Signer()
        jwks_url = serve_jwks(stack, workdir, signer)
        store_uri = stack.enter_context(store())
        core_port, core_pid = start_core(stack, layout, store_uri, jwks_url)
        gateway_port, gateway_pid = start_gateway(stack, layout, core_port, args.workers, jwks_url)
        nginx_port = start_nginx(stack, layout, workdir, core_port)
        token = signer.token("bench-user")
        project_id = create_project(core_port, token)
        requests = [
            Request(f"GET {HEALTH}", HEALTH),
            Request(
                "GET /projects/{id}, signed in",
                f"/projects/{project_id}",
                {"Authorization": f"Bearer {token}"},
            ),
        ]
        for request in requests:
            targets = [
                ("direct", f"http://127.0.0.1:{core_port}{request.path}", {"core": core_pid}),
                (
                    "gateway",
                    f"http://127.0.0.1:{gateway_port}/api/core{request.path}",
                    {"gateway": gateway_pid, "core": core_pid},
                ),
            ]
            if nginx_port:
                url = f"http://127.0.0.1:{nginx_port}/api/core{request.path}"
                targets.append(("nginx", url, {"core": core_pid}))
            for connections in dict.fromkeys([args.connections, args.latency_connections]):
                results = [
                    wrk(name, url, request, layout, args.duration, connections, watched)
                    for name, url, watched in targets
                ]
                tables.append((results, request, connections))
                loads.append(load_average())
    where = f"proxies on CPUs {PROXY_CPUS}, the rest on 0" if args.pin else "all share all CPUs"
    print(f"{os.cpu_count()} CPUs ({where}); load average during the run: {' -> '.join(loads)}")
    for results, request, connections in tables:
        report(results, request, connections, args.duration)


if __name__ == "__main__":
    main()
