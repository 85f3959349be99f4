"""No answer through the gateway names an upstream's address: the services route no trailing-
slash redirects, and a `Location` an upstream does send at its own origin is rewritten to the
public path."""

from collections.abc import Iterator

import pytest

from core_api.app import create_app as create_core_app
from core_api.settings import CoreSettings
from gateway.app import create_app
from gateway.tests.conftest import CORE, bearer, running, serve_in_thread


@pytest.fixture
def real_core_url(mongodb_uri, database_name, token_issuer) -> Iterator[str]:
    settings = CoreSettings(
        mongodb_uri=mongodb_uri,
        database=database_name,
        jwks_url=token_issuer.jwks_url,
        jwt_issuer=token_issuer.issuer,
        jwt_audience=token_issuer.audience,
    )
    with serve_in_thread(create_core_app(settings)) as url:
        yield url


@pytest.mark.parametrize(
    "path", ["/api/core/projects/", "/api/core/projects/?limit=5", "/api/core/audit/"]
)
async def test_a_trailing_slash_is_a_404_not_a_redirect_to_the_upstream(
    make_settings, upstreams, real_core_url, member_token, path
):
    async with running(create_app(make_settings(core_url=real_core_url))) as gateway:
        answer = await gateway.get(path, headers=bearer(member_token))
        canonical = await gateway.get("/api/core/projects", headers=bearer(member_token))

    assert answer.status_code == 404, answer.headers
    assert "location" not in answer.headers
    assert answer.json()["detail"]["code"]
    assert canonical.status_code == 200


@pytest.mark.parametrize(
    ("location", "public"),
    [
        (f"{CORE}/projects", "/api/core/projects"),
        (f"{CORE}/projects?cursor=a%2Fb#top", "/api/core/projects?cursor=a%2Fb#top"),
        (f"{CORE}", "/api/core/"),
        ("https://accounts.example/authorize?x=1", "https://accounts.example/authorize?x=1"),
        ("/elsewhere", "/elsewhere"),
    ],
)
async def test_an_upstream_redirect_to_its_own_origin_is_rewritten_to_the_public_path(
    gateway, core, member_token, location, public
):
    core.reply("GET", "/moved", 307, headers={"location": location})

    answer = await gateway.get("/api/core/moved", headers=bearer(member_token))

    assert answer.status_code == 307
    assert answer.headers["location"] == public


async def test_an_upstream_under_a_base_path_has_it_stripped_from_its_locations(
    make_settings, upstreams, core, member_token
):
    """core_url `http://host:port/v1`: `/api/core/x` is forwarded to `/v1/x`, and a Location
    back at `http://host:port/v1/projects/p1` is the public `/api/core/projects/p1`."""
    core.reply("POST", "/v1/projects", 201, headers={"location": f"{CORE}/v1/projects/p1"})
    async with running(create_app(make_settings(core_url=f"{CORE}/v1"))) as gateway:
        answer = await gateway.post("/api/core/projects", headers=bearer(member_token))

    assert answer.status_code == 201
    assert answer.headers["location"] == "/api/core/projects/p1"
    assert core.seen[-1].target == b"/v1/projects"
