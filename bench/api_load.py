"""API load: a mixed read/write load from locust (headless) on gunicorn + PostgreSQL.

gunicorn serves the benchmark's own database (a ``test_*`` database made by the harness);
locust runs ``bench/locustfile.py`` for ``BENCH_LOAD_SECONDS`` (default 60) with
``BENCH_LOAD_USERS`` (default 20) simulated users, three citizens to one officer. Printed:
requests per second, p50/p99 latency and errors, per request and in total.

SQLite is not measured here: gunicorn's worker processes must share one database server.
"""

import csv
import json
import os
import subprocess
import tempfile
from pathlib import Path

from django.db import connection

from .server import BIN, ROOT, gunicorn


def run():
    if connection.vendor != "postgresql":
        print("api load: skipped on SQLite (run with DATABASE_URL=postgres://…; gunicorn workers share a server)")
        return
    from egov.accounts.models import User
    from egov.accounts.services import issue_token
    from egov.dossiers.services.applying import missing_documents
    from tests.conftest import make_pdf
    from tests.dossiers.helpers import file_dossier, sample_data

    citizen, officer = User.objects.get(username="congdan"), User.objects.get(username="tiepnhan.dongha")
    for _ in range(20):  # a queue to start from
        file_dossier(citizen, "2.000575")
    from egov.dossiers import services

    probe = services.create_draft(citizen, "2.000575", sample_data("2.000575"))
    papers = missing_documents(probe)
    probe.delete()
    seconds = int(os.environ.get("BENCH_LOAD_SECONDS", 60))
    users = int(os.environ.get("BENCH_LOAD_USERS", 20))
    workers = int(os.environ.get("BENCH_GUNICORN_WORKERS", 4))
    work = Path(tempfile.mkdtemp(prefix="egov-load-"))
    (work / "paper.pdf").write_bytes(make_pdf())
    load_env = {
        "LOAD_CITIZEN_TOKEN": issue_token(citizen), "LOAD_OFFICER_TOKEN": issue_token(officer),
        "LOAD_SAMPLE_DATA": json.dumps(sample_data("2.000575")), "LOAD_PAPERS": ",".join(papers),
        "LOAD_PDF": str(work / "paper.pdf"),
    }  # fmt: skip
    with gunicorn(workers, load_env) as (base, env):
        subprocess.run(
            [str(BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(users),
             "-r", str(max(1, users // 4)), "-t", f"{seconds}s", "--host", base,
             "--csv", str(work / "load"), "--only-summary", "--loglevel", "ERROR"],
            cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    rows = list(csv.DictReader(open(work / "load_stats.csv")))  # noqa: SIM115
    print(f"api load (gunicorn {workers} workers + PostgreSQL; locust {users} users for {seconds} s, "
          "3 citizens to 1 officer)")
    for row in rows:
        label = "total" if row["Name"] == "Aggregated" else row["Name"]
        print(f"  {label:40s} {float(row['Requests/s']):7.1f}/s  p50 {row['50%']:>5} ms  p99 {row['99%']:>5} ms  "
              f"{row['Request Count']:>6} requests, {row['Failure Count']} errors")  # fmt: skip
