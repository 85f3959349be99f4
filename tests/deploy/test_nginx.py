"""nginx in front of the platform (infra/nginx/): the rendered configuration passes `nginx -t`,
and a real nginx serves built assets from disk the way browsers and CDNs rely on: HTTP/2 over
TLS, year-long immutable caching only for versioned URLs, CORS for module scripts, gzip, and
plain HTTP redirected to HTTPS."""

import gzip
from pathlib import Path

import pytest

from conftest import free_port
from tests.deploy.helpers import curl, headers_of, nginx_test, render_nginx

ENTRY = (
    "export function mount(element) {\n" + "  element.textContent = 'dashboard';\n" * 200 + "}\n"
)


@pytest.fixture
def built_assets(tmp_path: Path) -> dict[str, Path]:
    """A shell build and a fragment build laid out like the real ones."""
    shell = tmp_path / "shell-dist"
    (shell / "assets").mkdir(parents=True)
    (shell / "assets/index-Bx3aF9q2.js").write_text("console.log('shell');\n")
    (shell / "assets/index-Bx3aF9q2.js.map").write_text('{"version": 3}')
    (shell / "vendor").mkdir()
    (shell / "vendor/react.js").write_text("export default {};\n")
    fragments = tmp_path / "fragments"
    (fragments / "dashboard/1.2.0").mkdir(parents=True)
    (fragments / "dashboard/1.2.0/entry.js").write_text(ENTRY)
    (fragments / "dashboard/1.2.0/entry.js.map").write_text('{"version": 3}')
    return {"shell": shell, "fragments": fragments}


@pytest.fixture
def edge(tmp_path, tls_dir, built_assets, run_nginx):
    https_port, http_port = free_port(), free_port()
    config = render_nginx(
        tmp_path / "nginx",
        tls_dir,
        "--https-listen",
        f"127.0.0.1:{https_port}",
        "--http-listen",
        f"127.0.0.1:{http_port}",
        "--gateway",
        f"127.0.0.1:{free_port()}",
        "--shell-dist",
        built_assets["shell"],
        "--fragments-root",
        built_assets["fragments"],
    )
    run_nginx(config, https_port)
    return {"https": f"https://127.0.0.1:{https_port}", "http": f"http://127.0.0.1:{http_port}"}


@pytest.mark.parametrize("gateways", [1, 3])
def test_nginx_accepts_the_rendered_configuration(tmp_path, tls_dir, gateways):
    addresses = [
        arg for port in range(gateways) for arg in ("--gateway", f"127.0.0.1:{9100 + port}")
    ]
    config = render_nginx(tmp_path, tls_dir, *addresses)

    result = nginx_test(config)

    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr
    site = (tmp_path / "farm-platform.conf").read_text()
    assert site.count("server 127.0.0.1:91") == gateways
    assert "{{" not in site


def test_slow_and_greedy_clients_are_bounded_per_address(tmp_path, tls_dir):
    config = render_nginx(tmp_path, tls_dir)
    assert nginx_test(config).returncode == 0

    site = (tmp_path / "farm-platform.conf").read_text()
    assert "limit_conn_zone $binary_remote_addr zone=farm_per_client:10m;" in site
    https_server = site.split("listen 443 ssl http2;", 1)[1]
    assert "client_body_timeout 15s;" in https_server
    assert "limit_conn farm_per_client 64;" in https_server
    assert "limit_conn_status 429;" in https_server
    assert '"code":"TOO_MANY_CONNECTIONS"' in https_server


def test_nginx_rejects_a_broken_configuration(tmp_path, tls_dir):
    config = render_nginx(tmp_path, tls_dir)
    site = tmp_path / "farm-platform.conf"
    site.write_text(site.read_text().replace("proxy_pass http://farm_gateway;", "proxy_pass;", 1))

    result = nginx_test(config)

    assert result.returncode != 0
    assert "proxy_pass" in result.stderr


def test_a_versioned_fragment_entry_is_immutable_cross_origin_and_over_http2(edge):
    result = curl(f"{edge['https']}/fragments/dashboard/1.2.0/entry.js", "-o", "/dev/null")

    status, headers = headers_of(result.stdout)
    assert status.startswith("HTTP/2 200"), result.stdout + result.stderr
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["access-control-allow-origin"] == "*"
    assert headers["content-type"] == "application/javascript"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["strict-transport-security"].startswith("max-age=")


def test_text_assets_are_gzipped_for_clients_that_accept_it(edge, tmp_path):
    body = tmp_path / "entry.js.gz"
    result = curl(
        f"{edge['https']}/fragments/dashboard/1.2.0/entry.js",
        "-H",
        "Accept-Encoding: gzip",
        "-o",
        str(body),
    )

    _, headers = headers_of(result.stdout)
    assert headers["content-encoding"] == "gzip"
    assert "accept-encoding" in headers["vary"].lower()
    assert gzip.decompress(body.read_bytes()).decode() == ENTRY


def test_shell_files_are_immutable_only_when_content_hashed(edge):
    hashed = headers_of(curl(f"{edge['https']}/shell/assets/index-Bx3aF9q2.js").stdout)[1]
    plain = headers_of(curl(f"{edge['https']}/shell/vendor/react.js").stdout)[1]

    assert hashed["cache-control"] == "public, max-age=31536000, immutable"
    assert plain["cache-control"] == "no-cache"
    assert "etag" in plain


def test_a_missing_asset_is_a_404_not_the_shell(edge):
    status, _ = headers_of(curl(f"{edge['https']}/fragments/dashboard/9.9.9/entry.js").stdout)
    assert status.startswith("HTTP/2 404")


def test_plain_http_redirects_to_the_same_path_on_https(edge):
    result = curl(f"{edge['http']}/dashboard/tasks?x=1", "--http1.1")

    status, headers = headers_of(result.stdout)
    assert status.startswith("HTTP/1.1 308")
    assert headers["location"] == f"{edge['https']}/dashboard/tasks?x=1"


def test_an_unreachable_gateway_is_a_502_from_nginx(edge):
    status, _ = headers_of(curl(f"{edge['https']}/api/core/projects").stdout)
    assert status.startswith("HTTP/2 502")


@pytest.mark.parametrize(
    "path",
    [
        "/shell/assets/index-Bx3aF9q2.js.map",
        "/fragments/dashboard/1.2.0/entry.js.map",
        "/fragments/admin/1.0.0/entry.js.map",
    ],
)
def test_source_maps_are_not_served(edge, path):
    status, _ = headers_of(curl(f"{edge['https']}{path}").stdout)
    assert status.startswith("HTTP/2 404")


def test_metrics_are_not_on_the_public_listener(edge):
    # The gateway behind this nginx is not even running: nginx itself refuses the path.
    status, _ = headers_of(curl(f"{edge['https']}/metrics").stdout)
    assert status.startswith("HTTP/2 404")
