"""Lifecycle throughput: complete dossiers per second through the service layer (submit,
accept, appraise, approve, issue, return), against a bare viewflow flow of the same shape
driven without our layer; queries per lifecycle for both.

The lifecycle is timed from submission, as issue 10 states it: the citizen's draft and its
two papers are prepared before the clock starts (they are the portal's work, not the
engine's) and timed on a line of their own. Both drivers find the next open task of the
dossier the same way.
"""

import statistics
import time

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from .stats import describe

RUNS = 30
HANDOVERS = [
    ("tiepnhan.dongha", "accept", {}),
    ("congchuc.dongha", "forward", {}),
    ("chutich.dongha", "approve", {}),
    ("congchuc.dongha", "issue", {}),
    ("tiepnhan.dongha", "returned", {"how": "desk"}),
]


def draft_with_papers(users, pdf):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from egov.dossiers import services
    from tests.dossiers.helpers import sample_data

    citizen = users["congdan"]
    dossier = services.create_draft(citizen, "2.000575", sample_data("2.000575"))
    for key in ("application", "owner_id"):
        services.add_attachment(citizen, dossier, key, SimpleUploadedFile("a.pdf", pdf, "application/pdf"))
    return dossier


def ours(users, dossier):
    from egov.dossiers import services

    services.submit(users["congdan"], dossier)
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


def measure(function, runs, prepare=lambda: None):
    samples, queries = [], []
    for _ in range(runs):
        prepared = prepare()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            function(prepared)
            samples.append(time.perf_counter() - start)
        queries.append(len(captured.captured_queries))
    return samples, queries


def line(label, samples, queries):
    rate = 1 / statistics.mean(samples)
    print(f"  {label:<29}", describe(samples), f"— {rate:.1f}/s, {statistics.median(queries):.0f} queries")


def run():
    from egov.accounts.models import User
    from tests.conftest import make_pdf

    users = {u.username: u for u in User.objects.all()}
    pdf = make_pdf()
    ours(users, draft_with_papers(users, pdf))  # warm up (templates, flow graph, calendar years)
    bare()
    # Interleaved rounds, so that a burst of noise on the machine falls on both sides.
    ours_s, ours_q, bare_s, bare_q, draft_s, draft_q = [], [], [], [], [], []
    for _round in range(3):
        s, q = measure(lambda d: ours(users, d), RUNS // 3, prepare=lambda: draft_with_papers(users, pdf))
        ours_s += s
        ours_q += q
        s, q = measure(bare, RUNS // 3)
        bare_s += s
        bare_q += q
    draft_s, draft_q = measure(lambda _: draft_with_papers(users, pdf), RUNS)
    print("lifecycle (household business: submit, accept, 3 steps, return)")
    line("engine (service layer):", ours_s, ours_q)
    line("bare viewflow, same shape:", bare_s, bare_q)
    ratio = statistics.median(bare_s) / statistics.median(ours_s)
    print(f"  throughput ratio engine / bare (medians): {ratio:.2f}")
    line("before it: draft + 2 papers:", draft_s, draft_q)
