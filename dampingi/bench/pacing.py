"""How the benchmark's simulated users space their requests (used by bench/locustfile.py).

Kept free of locust so that the test suite checks it without the benchmark's dependencies.
"""

import random
import time
from collections.abc import Callable


class PoissonPacing:
    """The start times of one user's requests: a Poisson process of `rate` per second
    (independent, exponentially distributed gaps, mean 1/rate), so that many users together send
    a steady stream with random gaps, as independent people do.

    A request that outlasts its gap delays the next one: a late user starts its next request at
    once and goes on from there, it never catches up with a burst of requests.

    (locust's constant_throughput(rate) gives every user the same period from the moment it
    starts. Users that start together then send their requests together, every period, for the
    whole run: bursts of as many requests as there are users, with the machine idle in between.)
    """

    def __init__(self, rate: float, rng: random.Random, clock: Callable[[], float] = time.monotonic):
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.rng = rng
        self.clock = clock
        self.next_start: float | None = None

    def first_delay(self) -> float:
        """Seconds to wait before the first request: a random moment of the first period, so that
        users that signed in together do not start together."""
        delay = self.rng.uniform(0, 1 / self.rate)
        self.next_start = self.clock() + delay
        return delay

    def wait(self) -> float:
        """Seconds to wait, after a request, before the next one starts."""
        now = self.clock()
        planned = (now if self.next_start is None else self.next_start) + self.rng.expovariate(self.rate)
        self.next_start = max(planned, now)
        return self.next_start - now
