"""Queue latency: an officer's queue page and the API task list over a large history; the
dashboard over the same history.

A fast loader bulk-inserts ``BENCH_DOSSIERS`` dossiers (default 1,000,000), of which
``BENCH_OPEN_TASKS`` (default 50,000) are open with a workflow process and an open task
spread over every (role, agency) pair of the demo's officers; the rest are closed. The
open rows are copies of the process and task of a dossier taken through the real engine,
so the queue reads exactly what it reads in production. Then the pages are requested
in-process (middleware, view, queries, template) and timed: p50/p95 and query counts.
"""

import datetime
import itertools
import os
import random
import time

from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from .stats import counting, describe

RUNS = 30
BATCH = 5000


def _real_tasks(users):
    """A dossier taken through the engine to appraisal: its intake and appraisal tasks."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from egov.dossiers import services
    from egov.dossiers.selectors import team_queue
    from tests.conftest import make_pdf
    from tests.dossiers.helpers import sample_data
    from workflows.models import DossierTask

    citizen, pdf = users["congdan"], make_pdf()
    dossier = services.create_draft(citizen, "2.000575", sample_data("2.000575"))
    for key in ("application", "owner_id"):
        services.add_attachment(citizen, dossier, key, SimpleUploadedFile("a.pdf", pdf, "application/pdf"))
    services.submit(citizen, dossier, consent=True)
    intake = team_queue(users["tiepnhan.dongha"]).get(dossier=dossier)
    services.complete_task(users["tiepnhan.dongha"], intake.pk, "accept", {})
    appraise = DossierTask.objects.get(dossier=dossier, flow_task_type="HUMAN", status="NEW")
    return DossierTask.objects.select_related("process", "dossier").get(pk=intake.pk), appraise


def load(total, open_count, users, seed=2026):
    """Bulk-insert ``total`` dossiers, ``open_count`` of them with an open task."""
    from egov.accounts.models import RoleAssignment
    from egov.dossiers.models import Dossier, search_text_of
    from workflows.models import DossierProcess, DossierTask

    rng = random.Random(seed)
    intake, appraise = _real_tasks(users)
    template_dossier = intake.dossier
    pairs = sorted(set(RoleAssignment.objects.filter(active=True, role__in=[intake.role, appraise.role])
                       .values_list("role", "agency_id")))  # fmt: skip
    templates = {intake.role: intake, appraise.role: appraise}
    applicant_name = template_dossier.applicant.full_name
    now = timezone.now()
    start = time.perf_counter()
    made = 0
    while made < total:
        size = min(BATCH, total - made)
        opening = max(0, min(size, open_count - made))  # the first rows are the open ones
        dossiers = []
        for n in range(size):
            submitted = now - datetime.timedelta(days=rng.uniform(0, 5 * 365))
            is_open = n < opening
            dossiers.append(Dossier(
                applicant=template_dossier.applicant, created_by=template_dossier.applicant,
                version_id=template_dossier.version_id, procedure_id=template_dossier.procedure_id,
                channel=rng.choice(["online", "in_person"]), data=template_dossier.data,
                time_limit=template_dossier.time_limit,
                status="in_progress" if is_open else "returned",
                receiving_agency_id=template_dossier.receiving_agency_id,
                deciding_agency_id=template_dossier.deciding_agency_id,
                submitted_at=submitted, accepted_at=submitted, due_at=submitted + datetime.timedelta(days=10),
                completed_at=None if is_open else submitted + datetime.timedelta(days=8),
                timeliness="" if is_open else "on_time", code=f"BQ-{made + n:08d}",
                search_text=search_text_of(f"BQ-{made + n:08d}", applicant_name),
            ))  # fmt: skip
        with transaction.atomic():
            Dossier.objects.bulk_create(dossiers)
            if opening:
                processes = DossierProcess.objects.bulk_create([
                    DossierProcess(flow_class=intake.process.flow_class, status=intake.process.status,
                                   dossier=d, data=intake.process.data, step_index=0)
                    for d in dossiers[:opening]
                ])  # fmt: skip
                tasks = []
                for process, (role, agency) in zip(processes, itertools.cycle(pairs), strict=False):
                    template = templates[role]
                    tasks.append(DossierTask(
                        process=process, dossier_id=process.dossier_id, flow_task=template.flow_task,
                        flow_task_type="HUMAN", status="NEW", kind=template.kind, step_key=template.step_key,
                        step_index=template.step_index, role=role, agency_id=agency, token=template.token,
                        due_at=now + datetime.timedelta(hours=rng.uniform(-48, 96)),
                        dossier_due_at=process.dossier.due_at, search_text=process.dossier.search_text,
                    ))  # fmt: skip
                DossierTask.objects.bulk_create(tasks)
        made += size
    dense_rollups(total, rng)
    seconds = time.perf_counter() - start
    if connection.vendor == "postgresql":
        # What autovacuum does after a load this size: statistics, and the visibility map
        # that lets a count read an index alone.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return seconds, len(pairs)


def dense_rollups(total, rng, years=5):
    """Daily figures for every unit, procedure and day of ``years``: the densest the rollups of
    the demo's units and procedures can be, holding about ``total`` dossiers between them."""
    from egov.agencies.models import Agency
    from egov.catalog.models import ProcedureVersion
    from egov.stats.models import DailyFigure

    agencies = list(Agency.objects.filter(active=True).values_list("pk", flat=True))
    procedures = dict(ProcedureVersion.objects.values_list("procedure_id", "sector_id"))
    today = timezone.localdate()
    days = [today - datetime.timedelta(days=n) for n in range(years * 365)]
    mean = max(1, total // (len(days) * len(agencies) * len(procedures)))
    rows = []
    for day in days:
        for agency in agencies:
            for procedure, sector in procedures.items():
                received = rng.randint(0, 2 * mean)
                done = rng.randint(0, received)
                early = rng.randint(0, done)
                rows.append(DailyFigure(
                    day=day, agency_id=agency, deciding_agency_id=agency, procedure_id=procedure, sector_id=sector,
                    received=received,
                    received_online=received // 2, received_in_person=received - received // 2,
                    completed_early=early, completed_on_time=done - early, working_days_total=done * 4,
                    rating_count=done // 3, rating_sum=(done // 3) * 4, rating_satisfied=done // 3,
                ))  # fmt: skip
                if len(rows) >= BATCH:
                    DailyFigure.objects.bulk_create(rows)
                    rows = []
    DailyFigure.objects.bulk_create(rows)


def measure(client, url, runs=RUNS):
    client.get(url)  # warm up
    samples, queries = [], []
    for _ in range(runs):
        with counting(connection) as statements:
            start = time.perf_counter()
            answer = client.get(url)
            samples.append(time.perf_counter() - start)
        assert answer.status_code == 200, (url, answer.status_code)
        queries.append(statements.count)
    if os.environ.get("BENCH_SQL"):  # where the time goes: the slowest statements of one more request
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        for query in sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:2]:
            print(f"    {float(query['time']) * 1000:6.1f} ms  {query['sql'][:900]}")
    return samples, max(queries)


def run():
    from egov.accounts.models import User
    from egov.dossiers.selectors import team_queue

    total = int(os.environ.get("BENCH_DOSSIERS", 1_000_000))
    open_count = int(os.environ.get("BENCH_OPEN_TASKS", 50_000))
    users = {u.username: u for u in User.objects.all()}
    seconds, pair_count = load(total, open_count, users)
    officer = users["tiepnhan.dongha"]
    visible = team_queue(officer).count()
    print(f"queue latency ({connection.vendor}; {total:,} dossiers, {open_count:,} open tasks over "
          f"{pair_count} role/agency pairs; loaded in {seconds:.0f} s)")  # fmt: skip
    print(f"  officer tiepnhan.dongha sees {visible:,} tasks in the team queue")
    from egov.stats.models import DailyFigure

    print(f"  rollups: {DailyFigure.objects.count():,} daily figures (every unit × procedure × day of 5 years)")
    client = Client()
    client.force_login(officer)
    code = "BQ-00000123"
    pages = [
        ("queue page, first page", "/backoffice/?scope=queue"),
        ("queue page, page 40", "/backoffice/?scope=queue&page=40"),
        ("queue page, overdue, by due date", "/backoffice/?scope=queue&state=overdue&sort=due"),
        ("queue page, search by code", f"/backoffice/?scope=queue&q={code}"),
        ("API task list (queue)", "/api/v1/tasks/?scope=queue"),
        ("API task list, overdue", "/api/v1/tasks/?scope=queue&overdue=1&ordering=due_at"),
        ("API task list, search by code", f"/api/v1/tasks/?scope=queue&q={code}"),
    ]
    for label, url in pages:
        samples, queries = measure(client, url)
        print(f"  {label + ':':34s}{describe(samples)}, {queries} queries")
    # The operations centre over the same history: figures come from the rollups, the open
    # and overdue dossiers from the dossiers themselves (50,000 open of the million).
    leader = Client()
    leader.force_login(users["quantri"])
    unit = officer.role_assignments.first().agency.code
    print("  dashboard (as the province's administrator):")
    for label, url in [("province", "/dashboard/"), ("drill down to one agency", f"/dashboard/?agency={unit}"),
                       ("API figures by agency", "/api/v1/stats/figures/?group_by=agency"),
                       ("national service index, the year", "/dashboard/index/"),
                       ("index of one agency, deciding",
                        f"/dashboard/index/?agency={unit}&role=deciding")]:  # fmt: skip
        samples, queries = measure(leader, url)
        print(f"  {label + ':':34s}{describe(samples)}, {queries} queries")
