"""Lifecycle throughput: complete dossiers per second through the service layer (submit,
accept, appraise, approve, issue, return), against a bare viewflow flow of the same shape
driven without our layer; queries per lifecycle for both.

The lifecycle is timed from submission, as issue 10 states it: the citizen's draft and its
two papers are prepared before the clock starts (they are the portal's work, not the
engine's) and timed on a line of their own. Both drivers find the next open task of the
dossier the same way.

A third line runs the engine with the records of a hand-over switched off (the audit record,
the control-slip row, the outbox events), to show what they cost and what the workflow layer
itself costs. It is a measuring instrument, made by patching those functions in this process
only; the product never runs that way.

The events reach their consumers through the outbox relay a Celery worker runs
(egov/integrations/relay.py), not through the web process. That work is timed after the
rounds, over the events they wrote, and added to the engine's median for an all-in ratio.
"""

import statistics
import time
from contextlib import ExitStack, contextmanager
from unittest import mock

from django.db import connection, transaction

from tests.dossiers.helpers import draft_with_papers

from .stats import counting, describe

RUNS = 60
ROUNDS = 10  # blocks interleaved finely, so that a slow spell of the machine falls on every line
HANDOVERS = [
    ("tiepnhan.dongha", "accept", {}),
    ("congchuc.dongha", "forward", {}),
    ("chutich.dongha", "approve", {}),
    ("congchuc.dongha", "issue", {}),
    ("tiepnhan.dongha", "returned", {"how": "desk"}),
]


def ours(users, dossier):
    from egov.dossiers import services

    services.submit(users["congdan"], dossier, consent=True)
    for username, outcome, data in HANDOVERS:
        task = dossier.tasks.filter(flow_task_type="HUMAN", status="NEW").first()
        services.complete_task(users[username], task.pk, outcome, data)


def bare(_prepared=None):
    from workflows.baseline import BareFlow

    process = BareFlow.start.run()
    for _step in HANDOVERS:
        task = process.task_set.filter(flow_task_type="HUMAN", status="NEW").first()
        with BareFlow.lock(process.pk), transaction.atomic():
            activation = task.flow_task.activation_class(task)
            activation.assign(None)
            activation.start(None)
            activation.execute()


# What a hand-over records besides moving the dossier on (egov/dossiers/services/common.py).
RECORDS = [
    "egov.audit.services.record",
    "egov.dossiers.services.handling.record_handover",
    "egov.integrations.events.emit",
]


def _nothing(*args, **kwargs):
    return None


@contextmanager
def records_off():
    with ExitStack() as stack:
        for target in RECORDS:
            stack.enter_context(mock.patch(target, new=_nothing))
        yield


def measure(function, runs, prepare=lambda: None):
    samples, queries = [], []
    for _ in range(runs):
        prepared = prepare()
        with counting(connection) as statements:
            start = time.perf_counter()
            function(prepared)
            samples.append(time.perf_counter() - start)
        queries.append(statements.count)
    return samples, queries


def line(label, samples, queries):
    rate = 1 / statistics.mean(samples)
    print(f"  {label:<29}", describe(samples), f"— {rate:.1f}/s, {statistics.median(queries):.0f} queries")


def run():
    from egov.accounts.models import User
    from tests.conftest import make_pdf

    users = {u.username: u for u in User.objects.all()}
    pdf = make_pdf()
    ours(users, draft_with_papers(users["congdan"], pdf=pdf))  # warm up (templates, flow graph, calendar years)
    bare()
    relay_work()  # and the relay's first message (the broker's connection)
    # Interleaved rounds, so that a burst of noise on the machine falls on every side.
    ours_s, ours_q, bare_s, bare_q, lean_s, lean_q = [], [], [], [], [], []

    def prepare():
        return draft_with_papers(users["congdan"], pdf=pdf)

    for _round in range(ROUNDS):
        s, q = measure(lambda d: ours(users, d), RUNS // ROUNDS, prepare=prepare)
        ours_s += s
        ours_q += q
        with records_off():
            s, q = measure(lambda d: ours(users, d), RUNS // ROUNDS, prepare=prepare)
        lean_s += s
        lean_q += q
        s, q = measure(bare, RUNS // ROUNDS)
        bare_s += s
        bare_q += q
    relayed, batches, relay_s = relay_work()
    draft_s, draft_q = measure(lambda _: draft_with_papers(users["congdan"], pdf=pdf), RUNS)
    print("lifecycle (household business: submit, accept, 3 steps, return)")
    line("engine (service layer):", ours_s, ours_q)
    line("bare viewflow, same shape:", bare_s, bare_q)
    ratio = statistics.median(bare_s) / statistics.median(ours_s)
    print(f"  throughput ratio engine / bare (medians): {ratio:.2f}")
    line("engine, records switched off:", lean_s, lean_q)
    lean = statistics.median(bare_s) / statistics.median(lean_s)
    print(f"  ratio without audit, control slip, events (instrument only): {lean:.2f}")
    per_lifecycle = relay_s / RUNS
    per_event = relay_s / max(relayed, 1)
    print(f"  relay, in a worker: {relayed:,} events in {batches} claims, {relay_s * 1000:.1f} ms —"
          f" {per_event * 1e6:.0f} µs an event, {per_lifecycle * 1000:.2f} ms a lifecycle")  # fmt: skip
    all_in = statistics.median(bare_s) / (statistics.median(ours_s) + per_lifecycle)
    print(f"  ratio with the relay's work added: {all_in:.2f}")
    line("before it: draft + 2 papers:", draft_s, draft_q)


def relay_work():
    """Claim and queue, as a worker's relay does, the events the rounds left in the outbox."""
    from egov.integrations import relay
    from egov.integrations.models import OutboxEvent

    waiting = OutboxEvent.objects.filter(relayed_at__isnull=True, dispatched_at__isnull=True).count()
    batches = 0
    start = time.perf_counter()
    while relay.relay_once():
        batches += 1
    return waiting, batches, time.perf_counter() - start
