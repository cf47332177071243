"""Small helpers for printing figures."""

import statistics
import time


def timed(function, repeat):
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append(time.perf_counter() - start)
    return samples


def describe(samples, unit="ms", scale=1000.0):
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return (f"median {statistics.median(ordered) * scale:.1f} {unit}, p95 {p95 * scale:.1f} {unit}, "
            f"min {ordered[0] * scale:.1f} {unit} (n={len(ordered)})")  # fmt: skip
