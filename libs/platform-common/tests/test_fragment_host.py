"""The static host that serves a built fragment (what a CDN is in production)."""

import httpx
import pytest

from platform_common.fragment_host import FragmentHostSettings, create_app


@pytest.fixture
async def host(tmp_path):
    (tmp_path / "1.2.0").mkdir()
    (tmp_path / "1.2.0" / "entry.js").write_text("export function mount() {}")
    (tmp_path / "index.html").write_text("<!doctype html>")
    app = create_app(FragmentHostSettings(name="test", directory=tmp_path))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://host"
    ) as client:
        yield client


async def test_versioned_module_is_cors_enabled_and_cached_for_good(host):
    response = await host.get("/1.2.0/entry.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["access-control-allow-origin"] == "*"
    assert "immutable" in response.headers["cache-control"]


async def test_unversioned_files_are_revalidated(host):
    response = await host.get("/index.html")
    assert response.headers["cache-control"] == "no-cache"


async def test_missing_file_is_404(host):
    assert (await host.get("/9.9.9/entry.js")).status_code == 404
