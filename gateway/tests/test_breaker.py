"""The circuit breaker: its state machine, and how the gateway answers while it is open."""

import asyncio

import httpx

from conftest import free_port
from gateway.app import create_app
from gateway.breaker import BreakerState, CircuitBreaker
from gateway.settings import Upstream
from gateway.tests.conftest import running
from gateway.tests.test_proxy import answer_ok_once_listening


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_opens_after_consecutive_failures_and_half_opens_after_the_timeout():
    clock = FakeClock()
    breaker = CircuitBreaker("core", failure_threshold=3, reset_timeout_s=10, clock=clock)
    for _ in range(2):
        breaker.record_failure()
    assert breaker.state is BreakerState.CLOSED
    breaker.record_failure()
    assert breaker.state is BreakerState.OPEN
    assert not breaker.allow_request()
    assert breaker.retry_after_s() == 10
    clock.now = 10.0
    assert breaker.state is BreakerState.HALF_OPEN
    assert breaker.allow_request()  # the probe
    assert not breaker.allow_request()  # only one probe at a time
    breaker.record_success()
    assert breaker.state is BreakerState.CLOSED


def test_a_failed_probe_reopens_at_once():
    clock = FakeClock()
    breaker = CircuitBreaker("core", failure_threshold=3, reset_timeout_s=5, clock=clock)
    for _ in range(3):
        breaker.record_failure()
    clock.now = 5.0
    assert breaker.allow_request()
    breaker.record_failure()
    assert breaker.state is BreakerState.OPEN
    assert breaker.retry_after_s() == 5


def test_a_success_resets_the_failure_count():
    breaker = CircuitBreaker("core", failure_threshold=2, reset_timeout_s=5)
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    assert breaker.state is BreakerState.CLOSED


async def test_an_open_breaker_answers_503_with_retry_after_without_calling(
    make_settings, upstreams
):
    nowhere = f"http://127.0.0.1:{free_port()}"
    settings = make_settings(
        routes=[
            Upstream(
                name="core",
                url=nowhere,
                prefix="/api/core",
                connect_retries=0,
                breaker_failure_threshold=2,
                breaker_reset_timeout_s=30,
            )
        ]
    )
    upstreams.get(f"{nowhere}/readyz").mock(side_effect=httpx.ConnectError("refused"))
    async with running(create_app(settings)) as client:
        for _ in range(2):
            assert (await client.get("/api/core/healthz")).status_code == 502
        response = await client.get("/api/core/healthz")
        assert response.status_code == 503
        assert response.json()["detail"]["code"] == "UPSTREAM_CIRCUIT_OPEN"
        assert response.json()["detail"]["upstream"] == "core"
        assert 1 <= int(response.headers["retry-after"]) <= 30
        metrics = (await client.get("/metrics")).text
        # Two tries reached for the upstream; the third was answered without one.
        assert 'gateway_upstream_errors_total{kind="unreachable",upstream="core"} 2.0' in metrics

        ready = await client.get("/readyz")
        assert ready.status_code == 503
        assert ready.json()["checks"]["core"]["breaker"] == "open"
        metrics = (await client.get("/metrics")).text
        assert (
            'gateway_circuit_breaker_state{gateway_circuit_breaker_state="open",upstream="core"} 1.0'
            in metrics
        )


async def test_a_successful_probe_closes_the_breaker(make_settings):
    port = free_port()
    settings = make_settings(
        routes=[
            Upstream(
                name="core",
                url=f"http://127.0.0.1:{port}",
                prefix="/api/core",
                connect_retries=0,
                breaker_failure_threshold=1,
                breaker_reset_timeout_s=0.05,
            )
        ]
    )
    app = create_app(settings)
    async with running(app) as client:
        assert (await client.get("/api/core/healthz")).status_code == 502
        assert (await client.get("/api/core/healthz")).status_code == 503
        server = await answer_ok_once_listening(port)  # the upstream is back
        await asyncio.sleep(0.06)
        assert (await client.get("/api/core/healthz")).status_code == 200
        server.close()
        assert app.state.pools["core"].breaker.state is BreakerState.CLOSED
