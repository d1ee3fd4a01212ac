"""The benchmark's simulated users send their requests at random gaps, not in step."""

import random
import statistics

import pytest

from dampingi.bench.pacing import PoissonPacing


class FakeClock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_gaps_average_one_over_the_rate_and_vary_like_an_exponential():
    clock = FakeClock()
    pacing = PoissonPacing(2.0, random.Random(1), clock)
    clock.now += pacing.first_delay()
    gaps = []
    for _ in range(20_000):
        wait = pacing.wait()  # the request itself took no time
        gaps.append(wait)
        clock.now += wait
    assert statistics.mean(gaps) == pytest.approx(0.5, rel=0.03)
    # An exponential distribution's standard deviation equals its mean (a fixed period's is 0).
    assert statistics.stdev(gaps) == pytest.approx(0.5, rel=0.05)


def test_users_that_sign_in_together_start_at_different_moments():
    clock = FakeClock()
    delays = [PoissonPacing(1.0, random.Random(seed), clock).first_delay() for seed in range(50)]
    assert all(0 <= d <= 1.0 for d in delays)
    assert len({round(d, 3) for d in delays}) > 45


def test_a_slow_request_delays_the_next_one_without_a_catch_up_burst():
    clock = FakeClock()
    pacing = PoissonPacing(10.0, random.Random(2), clock)
    clock.now += pacing.first_delay()
    clock.now += 5.0  # one request took as long as fifty gaps
    waits = []
    for _ in range(20):
        waits.append(pacing.wait())
        clock.now += waits[-1]  # the following requests take no time
    # The next request starts at once; the ones after it keep their random gaps (catching up
    # with the missed schedule would send about fifty requests at once).
    assert waits[0] == 0
    assert all(w > 0 for w in waits[1:])


def test_the_rate_must_be_positive():
    with pytest.raises(ValueError):
        PoissonPacing(0, random.Random(0))
