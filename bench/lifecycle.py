"""Lifecycle throughput: complete dossiers per second through the service layer (draft,
papers, submit, accept, appraise, approve, issue, return), against a bare viewflow flow of
the same shape driven without our layer; queries per lifecycle for both."""

import time

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from .stats import describe

RUNS = 30


def ours(users, pdf):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from egov.dossiers import services
    from egov.dossiers.selectors import team_queue
    from tests.dossiers.helpers import sample_data

    citizen = users["congdan"]
    dossier = services.create_draft(citizen, "2.000575", sample_data("2.000575"))
    for key in ("application", "owner_id"):
        services.add_attachment(citizen, dossier, key, SimpleUploadedFile("a.pdf", pdf, "application/pdf"))
    services.submit(citizen, dossier)
    for username, outcome, data in [("tiepnhan.dongha", "accept", {}), ("congchuc.dongha", "forward", {}),
                                    ("chutich.dongha", "approve", {}), ("congchuc.dongha", "issue", {}),
                                    ("tiepnhan.dongha", "returned", {"how": "desk"})]:  # fmt: skip
        officer = users[username]
        task = team_queue(officer).filter(dossier=dossier).first()
        services.complete_task(officer, task.pk, outcome, data)


def bare():
    from workflows.baseline import BareFlow

    process = BareFlow.start.run()
    for _step in range(5):
        task = process.task_set.filter(flow_task_type="HUMAN", status="NEW").first()
        with BareFlow.lock(process.pk), transaction.atomic():
            activation = task.flow_task.activation_class(task)
            activation.assign(None)
            activation.start(None)
            activation.execute()


def measure(function, runs):
    samples, queries = [], []
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            function()
            samples.append(time.perf_counter() - start)
        queries.append(len(captured.captured_queries))
    return samples, queries


def run():
    from egov.accounts.models import User
    from tests.conftest import make_pdf

    users = {u.username: u for u in User.objects.all()}
    pdf = make_pdf()
    ours(users, pdf)  # warm up (templates, flow graph, calendar years)
    bare()
    ours_s, ours_q = measure(lambda: ours(users, pdf), RUNS)
    bare_s, bare_q = measure(bare, RUNS)
    print("lifecycle (household business: submit, accept, 3 steps, return)")
    print("  engine (service layer):      ", describe(ours_s), f"— {1 / (sum(ours_s) / len(ours_s)):.1f}/s,",
          f"{sorted(ours_q)[len(ours_q) // 2]} queries")  # fmt: skip
    print("  bare viewflow, same shape:   ", describe(bare_s), f"— {1 / (sum(bare_s) / len(bare_s)):.1f}/s,",
          f"{sorted(bare_q)[len(bare_q) // 2]} queries")  # fmt: skip
    ratio = (sorted(bare_s)[len(bare_s) // 2]) / (sorted(ours_s)[len(ours_s) // 2])
    print(f"  throughput ratio engine / bare (medians): {ratio:.2f}")
