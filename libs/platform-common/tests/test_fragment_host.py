"""The platform's static host (what a CDN is in production): the shell's build at /, every
fragment under /fragments/<name>/ found at request time, caching, CORS, the precompressed
copies the build writes beside each script and stylesheet, and no source maps outside
development."""

import base64
import gzip
import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import httpx
import pytest

from conftest import ROOT
from platform_common.fragment_host import FragmentHostSettings, accepted_encodings, create_app

PRECOMPRESS = ROOT / "packages/fragment-tools/bin/fragment-precompress.mjs"
NODE = shutil.which("node") or "node"
ENTRY = "export function mount(element) {\n" + "  element.textContent = 'hello';\n" * 300 + "}\n"
BROWSER = "gzip, deflate, br, zstd"
FRAGMENT_PACKAGE = '{"name": "mfe-reports", "fragment": {"name": "reports"}}'


def sri(data: bytes) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(data).digest()).decode()


def brotli_decode(data: bytes) -> bytes:
    """Python has no brotli decoder in this workspace; Node's zlib has one built in."""
    script = (
        "const z=require('node:zlib');const c=[];process.stdin.on('data',d=>c.push(d))"
        ".on('end',()=>process.stdout.write(z.brotliDecompressSync(Buffer.concat(c))))"
    )
    return subprocess.run([NODE, "-e", script], input=data, capture_output=True, check=True).stdout


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    """A build laid out like the real ones, precompressed by the build's own step."""
    (tmp_path / "1.2.0").mkdir()
    (tmp_path / "1.2.0" / "entry.js").write_text(ENTRY)
    (tmp_path / "1.2.0" / "entry.css").write_text(".card { color: red; }\n" * 100)
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "index-Bx3aF9q2.js").write_text(ENTRY)
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "react-dom-client.js").write_text(ENTRY)
    (tmp_path / "index.html").write_text("<!doctype html>")
    subprocess.run([NODE, PRECOMPRESS, tmp_path], check=True, capture_output=True)
    return tmp_path


def client_of(settings: FragmentHostSettings) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=create_app(settings)), base_url="http://host"
    )


@pytest.fixture
async def host(dist):
    async with client_of(FragmentHostSettings(name="test", directory=dist)) as client:
        yield client


async def raw_get(
    client: httpx.AsyncClient, path: str, **headers: str
) -> tuple[httpx.Response, bytes]:
    """The answer and its body as sent (httpx would decode it)."""
    async with client.stream("GET", path, headers=headers) as response:
        return response, b"".join([chunk async for chunk in response.aiter_raw()])


async def test_versioned_module_is_cors_enabled_and_cached_for_good(host):
    response = await host.get("/1.2.0/entry.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


async def test_unversioned_files_are_revalidated(host):
    response = await host.get("/index.html")
    assert response.headers["cache-control"] == "no-cache"


async def test_only_content_hashed_shell_files_are_immutable(host):
    hashed = await host.get("/assets/index-Bx3aF9q2.js")
    vendor = await host.get("/vendor/react-dom-client.js")

    assert hashed.headers["cache-control"] == "public, max-age=31536000, immutable"
    # Its name has a hyphenated word, not a hash: a new React must reach browsers.
    assert vendor.headers["cache-control"] == "no-cache"


async def test_missing_file_is_404(host):
    assert (await host.get("/9.9.9/entry.js")).status_code == 404


async def test_a_browser_gets_brotli_and_the_integrity_of_the_decoded_bytes_is_unchanged(
    host, dist
):
    response, body = await raw_get(host, "/1.2.0/entry.js", **{"accept-encoding": BROWSER})

    assert response.headers["content-encoding"] == "br"
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert len(body) < len(ENTRY) / 5
    assert int(response.headers["content-length"]) == len(body)
    assert sri(brotli_decode(body)) == sri((dist / "1.2.0/entry.js").read_bytes())


async def test_a_client_without_brotli_gets_gzip(host, dist):
    response, body = await raw_get(host, "/1.2.0/entry.css", **{"accept-encoding": "gzip, deflate"})

    assert response.headers["content-encoding"] == "gzip"
    assert response.headers["content-type"].startswith("text/css")
    assert body == (dist / "1.2.0/entry.css.gz").read_bytes()
    decoded = await host.get("/1.2.0/entry.css", headers={"accept-encoding": "gzip"})
    assert decoded.content == (dist / "1.2.0/entry.css").read_bytes()


@pytest.mark.parametrize("accept", ["", "identity", "br;q=0, gzip;q=0", "*;q=0", "compress"])
async def test_a_client_that_takes_no_precompressed_coding_gets_the_file_itself(host, accept):
    response, body = await raw_get(host, "/1.2.0/entry.js", **{"accept-encoding": accept})

    assert "content-encoding" not in response.headers
    assert response.headers["vary"] == "Accept-Encoding"
    assert body.decode() == ENTRY


async def test_a_file_replaced_after_the_build_is_not_answered_by_its_stale_copies(host, dist):
    entry = dist / "1.2.0/entry.js"
    entry.write_text(ENTRY + "// changed\n")
    stamp = (entry.with_name("entry.js.br")).stat().st_mtime_ns + 5_000_000
    os.utime(entry, ns=(stamp, stamp))

    response, body = await raw_get(host, "/1.2.0/entry.js", **{"accept-encoding": BROWSER})

    assert "content-encoding" not in response.headers
    assert body.decode().endswith("// changed\n")


async def test_each_coding_revalidates_with_its_own_etag(host):
    brotli, _ = await raw_get(host, "/vendor/react-dom-client.js", **{"accept-encoding": "br"})
    gzipped, _ = await raw_get(host, "/vendor/react-dom-client.js", **{"accept-encoding": "gzip"})
    assert brotli.headers["etag"] != gzipped.headers["etag"]

    same = await host.get(
        "/vendor/react-dom-client.js",
        headers={"accept-encoding": "br", "if-none-match": brotli.headers["etag"]},
    )
    other, _ = await raw_get(
        host,
        "/vendor/react-dom-client.js",
        **{"accept-encoding": "gzip", "if-none-match": brotli.headers["etag"]},
    )

    assert same.status_code == 304
    assert same.content == b""
    assert same.headers["vary"] == "Accept-Encoding"
    assert same.headers["cache-control"] == "no-cache"
    assert other.status_code == 200
    assert other.headers["content-encoding"] == "gzip"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("gzip, deflate, br, zstd", {"gzip", "deflate", "br", "zstd"}),
        ("GZIP;q=0.5, br;q=1.0", {"gzip", "br"}),
        ("br;q=0, gzip", {"gzip"}),
        ("*", {"*", "br", "gzip"}),
        ("*, br;q=0", {"*", "gzip"}),
        ("gzip;q=nonsense", set()),
        ("", set()),
    ],
)
def test_accept_encoding_is_read_with_its_quality_values(header, expected):
    assert accepted_encodings(header) == expected


# ---- fragments under /fragments/<name>/ ---------------------------------------------------


@pytest.fixture
def workspace(tmp_path: Path, dist: Path) -> Path:
    """A checkout as development has it: mfe-<name>/dist/ per fragment."""
    folder = tmp_path / "workspace"
    shutil.copytree(dist, folder / "mfe-reports" / "dist")
    (folder / "mfe-reports" / "package.json").write_text(FRAGMENT_PACKAGE)
    (folder / "outside.txt").write_text("not a fragment's file")
    return folder


@pytest.fixture
async def fragments(workspace):
    async with client_of(FragmentHostSettings(workspaces=[workspace])) as client:
        yield client


async def test_a_workspace_fragment_is_served_under_its_name_like_a_cdn_file(fragments, dist):
    response, body = await raw_get(
        fragments, "/fragments/reports/1.2.0/entry.js", **{"accept-encoding": BROWSER}
    )

    assert response.status_code == 200
    assert response.headers["content-encoding"] == "br"
    assert response.headers["vary"] == "Accept-Encoding"
    assert response.headers["access-control-allow-origin"] == "*"
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert sri(brotli_decode(body)) == sri((dist / "1.2.0/entry.js").read_bytes())


async def test_a_fragment_created_after_the_host_started_is_served_without_a_restart(
    fragments, workspace
):
    assert (await fragments.get("/fragments/late/0.1.0/entry.js")).status_code == 404

    (workspace / "mfe-late" / "dist" / "0.1.0").mkdir(parents=True)
    (workspace / "mfe-late" / "dist" / "0.1.0" / "entry.js").write_text(ENTRY)
    (workspace / "mfe-late" / "package.json").write_text(FRAGMENT_PACKAGE)

    response = await fragments.get("/fragments/late/0.1.0/entry.js")
    assert response.status_code == 200
    assert response.text == ENTRY


async def test_a_workspace_folder_without_a_fragment_block_is_not_served(fragments, workspace):
    shell = workspace / "mfe-shell"
    (shell / "dist").mkdir(parents=True)
    (shell / "dist" / "index.html").write_text("<!doctype html>")
    (shell / "package.json").write_text('{"name": "mfe-shell"}')

    assert (await fragments.get("/fragments/shell/index.html")).status_code == 404

    (workspace / "mfe-reports" / "package.json").write_text('{"name": "mfe-reports"}')
    os.utime(workspace / "mfe-reports" / "package.json", ns=(1, 1))
    assert (await fragments.get("/fragments/reports/1.2.0/entry.js")).status_code == 404


async def test_a_development_build_is_revalidated_not_cached_for_good(fragments, workspace):
    (workspace / "mfe-reports" / "dist" / "dev").mkdir()
    (workspace / "mfe-reports" / "dist" / "dev" / "entry.js").write_text(ENTRY)

    response = await fragments.get("/fragments/reports/dev/entry.js")

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"


async def test_production_serves_the_uploaded_builds_of_its_root(tmp_path, dist):
    root = tmp_path / "srv-fragments"
    shutil.copytree(dist, root / "reports")
    settings = FragmentHostSettings(environment="production", root=root)
    async with client_of(settings) as client:
        served = await client.get("/fragments/reports/1.2.0/entry.css")
        (root / "later").mkdir()
        (root / "later" / "entry.js").write_text(ENTRY)
        uploaded_later = await client.get("/fragments/later/entry.js")
        shell_paths = await client.get("/index.html")

    assert served.status_code == 200
    assert served.headers["content-type"].startswith("text/css")
    assert uploaded_later.status_code == 200
    assert shell_paths.status_code == 404, "a fragments host serves nothing at /"


@pytest.mark.parametrize(
    "path",
    [
        "/fragments/reports/%2e%2e/%2e%2e/outside.txt",
        "/fragments/%2e%2e/outside.txt",
        "/fragments/reports/..%2f..%2foutside.txt",
        "/fragments/reports/escape/outside.txt",
        "/fragments/Reports/1.2.0/entry.js",
        "/fragments/reports",
        "/fragments/reports/",
        "/fragments/reports/1.2.0/",
    ],
)
async def test_nothing_outside_a_fragments_own_build_is_served(fragments, workspace, path):
    (workspace / "mfe-reports" / "dist" / "escape").symlink_to(workspace)

    response = await fragments.get(path)

    assert response.status_code == 404
    assert "not a fragment" not in response.text


@pytest.mark.parametrize("path", ["/1.2.0/entry.js.map", "/1.2.0/entry.js.map.gz"])
async def test_source_maps_are_served_in_development_only(tmp_path, dist, path):
    (dist / "1.2.0" / "entry.js.map").write_text("{}")
    (dist / "1.2.0" / "entry.js.map.gz").write_bytes(gzip.compress(b"{}"))
    shutil.copytree(dist, tmp_path / "root" / "reports")

    for environment, status in (("development", 200), ("production", 404)):
        settings = FragmentHostSettings(
            environment=environment, directory=dist, root=tmp_path / "root"
        )
        async with client_of(settings) as client:
            assert (await client.get(path)).status_code == status, environment
            assert (await client.get(f"/fragments/reports{path}")).status_code == status


def test_workspaces_are_read_from_the_environment_like_path(monkeypatch):
    monkeypatch.setenv("FRAGMENT_HOST_WORKSPACES", "/work/a:/work/b")

    assert FragmentHostSettings().workspaces == [Path("/work/a"), Path("/work/b")]


def test_a_host_with_nothing_to_serve_refuses_to_start(monkeypatch):
    for variable in ("DIRECTORY", "ROOT", "WORKSPACES"):
        monkeypatch.delenv(f"FRAGMENT_HOST_{variable}", raising=False)

    with pytest.raises(ValueError, match="nothing to serve"):
        FragmentHostSettings()
