"""A circuit breaker per upstream: stop sending traffic to a service that keeps failing.

closed    requests flow; consecutive failures are counted, a success resets the count.
open      after `failure_threshold` consecutive failures: requests are refused at once
          (the caller answers 503 with Retry-After) until `reset_timeout_s` has passed.
half_open one probe request is let through; success closes the breaker, failure reopens it.
"""

import time
from collections.abc import Callable
from enum import StrEnum


class BreakerState(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    def __init__(
        self,
        name: str,
        *,
        failure_threshold: int,
        reset_timeout_s: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.failure_threshold = failure_threshold
        self.reset_timeout_s = reset_timeout_s
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._probe_in_flight = False

    @property
    def state(self) -> BreakerState:
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._clock() - self._opened_at >= self.reset_timeout_s:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def allow_request(self) -> bool:
        """True when a request may go to the upstream now (it must then report its outcome)."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.HALF_OPEN and not self._probe_in_flight:
            self._probe_in_flight = True
            return True
        return False

    def retry_after_s(self) -> int:
        if self._opened_at is None:
            return 0
        remaining = self.reset_timeout_s - (self._clock() - self._opened_at)
        return max(1, int(remaining + 0.999))

    def record_success(self) -> None:
        self._failures = 0
        self._opened_at = None
        self._probe_in_flight = False

    def record_failure(self) -> None:
        self._failures += 1
        if self._probe_in_flight or self._failures >= self.failure_threshold:
            self._opened_at = self._clock()
        self._probe_in_flight = False

    def release_probe(self) -> None:
        """The request let through ended without telling anything about the upstream."""
        self._probe_in_flight = False
