"""Prometheus metrics of one gateway app (its own registry, so several apps can coexist)."""

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Enum,
    Gauge,
    Histogram,
    generate_latest,
)

from gateway.breaker import BreakerState, CircuitBreaker

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30)


class GatewayMetrics:
    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "gateway_requests",
            "Requests answered, by route group, method, status and upstream",
            ["route", "method", "status", "upstream"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "gateway_request_duration_seconds",
            "Time from request to the end of the response, by route group",
            ["route", "upstream"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.upstream_latency = Histogram(
            "gateway_upstream_response_seconds",
            "Time until an upstream's response headers arrived",
            ["upstream"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "gateway_requests_in_flight", "Requests being served now", registry=self.registry
        )
        self.upstream_errors = Counter(
            "gateway_upstream_errors",
            "Upstream failures, by kind (unreachable, timeout, bad_response, broken_stream)",
            ["upstream", "kind"],
            registry=self.registry,
        )
        self.retries = Counter(
            "gateway_upstream_retries",
            "Connection retries to an upstream",
            ["upstream"],
            registry=self.registry,
        )
        self.rate_limited = Counter(
            "gateway_rate_limited",
            "Requests refused by a rate limit, by route group",
            ["group"],
            registry=self.registry,
        )
        self.auth_rejected = Counter(
            "gateway_auth_rejected",
            "Requests refused by edge auth, by reason code",
            ["code"],
            registry=self.registry,
        )
        self._request_children: dict[tuple[str, str, int, str], tuple[Counter, Histogram]] = {}
        self.breaker_state = Enum(
            "gateway_circuit_breaker_state",
            "Circuit breaker state per upstream",
            ["upstream"],
            states=[state.value for state in BreakerState],
            registry=self.registry,
        )

    def observe_request(
        self, route: str, method: str, status: int, upstream: str, duration_s: float
    ) -> None:
        """Counts one answered request; the labelled children are looked up once per label
        set (the label values are bounded: route groups, HTTP methods, statuses, upstreams)."""
        key = (route, method, status, upstream)
        children = self._request_children.get(key)
        if children is None:
            children = (
                self.requests.labels(route, method, str(status), upstream),
                self.latency.labels(route, upstream),
            )
            self._request_children[key] = children
        children[0].inc()
        children[1].observe(duration_s)

    def render(self, breakers: dict[str, CircuitBreaker]) -> bytes:
        for name, breaker in breakers.items():
            self.breaker_state.labels(upstream=name).state(breaker.state.value)
        return generate_latest(self.registry)
