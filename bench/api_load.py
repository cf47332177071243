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
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url, server, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError("gunicorn stopped before it served a request")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"gunicorn did not answer on {url}")


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
    settings = connection.settings_dict
    database_url = f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"
    port = _free_port()
    env = {
        **os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "egov.settings.base",
        "LOAD_CITIZEN_TOKEN": issue_token(citizen), "LOAD_OFFICER_TOKEN": issue_token(officer),
        "LOAD_SAMPLE_DATA": json.dumps(sample_data("2.000575")), "LOAD_PAPERS": ",".join(papers),
        "LOAD_PDF": str(work / "paper.pdf"), "LOG_LEVEL": "ERROR",
    }  # fmt: skip
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "egov.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "error"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=open(work / "gunicorn.log", "w"),  # noqa: SIM115
    )  # fmt: skip
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/healthz", server)
        subprocess.run(
            [str(bin_dir / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless", "-u", str(users),
             "-r", str(max(1, users // 4)), "-t", f"{seconds}s", "--host", f"http://127.0.0.1:{port}",
             "--csv", str(work / "load"), "--only-summary", "--loglevel", "ERROR"],
            cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
    rows = list(csv.DictReader(open(work / "load_stats.csv")))  # noqa: SIM115
    print(f"api load (gunicorn {workers} workers + PostgreSQL; locust {users} users for {seconds} s, "
          "3 citizens to 1 officer)")
    for row in rows:
        label = "total" if row["Name"] == "Aggregated" else row["Name"]
        print(f"  {label:40s} {float(row['Requests/s']):7.1f}/s  p50 {row['50%']:>5} ms  p99 {row['99%']:>5} ms  "
              f"{row['Request Count']:>6} requests, {row['Failure Count']} errors")  # fmt: skip
