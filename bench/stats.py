"""Small helpers for printing figures."""

import statistics
import time
from contextlib import contextmanager


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


class _Count:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def counting(connection):
    """Counts the statements run inside, at the cost of a function call each.

    Not Django's CaptureQueriesContext: its debug cursor formats every statement for the
    log, and on SQLite formatting the parameters is a query of its own, which would be
    timed with the work.
    """
    count = _Count()
    with connection.execute_wrapper(count):
        yield count
