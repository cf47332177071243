"""Reliability drill: PostgreSQL restarted while citizens are submitting dossiers.

Citizens file dossiers through the API on gunicorn (create, upload the papers, submit) from
several threads while the database server is restarted underneath them. Afterwards every
dossier is checked: a submission the client was told succeeded is there in full; any other
is either fully there (the answer was lost, the commit was not) or still a draft, and was
answered 503 with Retry-After (egov/common/availability.py) rather than 500 — never
half-written (a code without its intake task, its papers or its outbox event). Codes are
unique. Prints the counts; exits non-zero on any lost or half-written dossier.

Needs PostgreSQL run by this machine's ``pg_ctlcluster`` (the CI machine, a developer's
box); elsewhere it says so and does nothing. The other drills (parallel claims and
completions, parallel submissions, the worker killed mid-delivery and mid-rendering,
duplicate submissions with one idempotency key) are tests in the suite.
"""

import os
import shutil
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

from django.db import connection

from .server import gunicorn, wait_until_up


def _cluster():
    versions = sorted(os.listdir("/etc/postgresql")) if Path("/etc/postgresql").is_dir() else []
    return versions[-1] if versions and shutil.which("pg_ctlcluster") else None


def _restart(version):
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "restart", "-m", "fast"],
                   check=True, capture_output=True)  # fmt: skip
    for _ in range(60):
        if subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"], check=False).returncode == 0:
            return
        time.sleep(0.5)
    raise RuntimeError("PostgreSQL did not come back")


def _citizen_loop(base, token, sample, papers, pdf, stop, outcomes):
    import requests

    session = requests.Session()
    session.headers["Authorization"] = f"Token {token}"
    while not stop.is_set():
        dossier = None
        try:
            created = session.post(f"{base}/api/v1/dossiers/", json={"procedure": "2.000575", "data": sample},
                                   timeout=30)  # fmt: skip
            if created.status_code != 201:
                outcomes.append(("refused", None, created.status_code))
                continue
            dossier = created.json()["id"]
            for paper in papers:
                session.post(f"{base}/api/v1/dossiers/{dossier}/attachments/", data={"document": paper},
                             files={"file": ("paper.pdf", pdf, "application/pdf")}, timeout=30)  # fmt: skip
            submitted = session.post(f"{base}/api/v1/dossiers/{dossier}/submit/", json={"consent": True}, timeout=30)
            ok = submitted.status_code == 200
            outcomes.append(("submitted" if ok else "refused", dossier, submitted.status_code))
        except requests.RequestException as exc:
            outcomes.append(("no answer", dossier, type(exc).__name__))


def check(outcomes):
    """Count lost and half-written dossiers."""
    from egov.dossiers.models import Dossier
    from egov.integrations import events
    from egov.integrations.models import OutboxEvent
    from workflows.models import DossierTask

    connection.close()  # the server restarted under this process's connection too
    told_ok = {d for kind, d, _ in outcomes if kind == "submitted"}
    filed = Dossier.objects.exclude(status="draft")
    lost = [d for d in told_ok if not filed.filter(pk=d).exists()]
    half = []
    for dossier in filed.prefetch_related("attachments"):
        complete = (
            dossier.code and dossier.submitted_at and dossier.attachments.count() >= 2
            and DossierTask.objects.filter(dossier=dossier, kind="intake").exists()
            and OutboxEvent.objects.filter(dossier=dossier, type=events.DOSSIER_SUBMITTED).count() == 1
        )  # fmt: skip
        if not complete:
            half.append(str(dossier.pk))
    codes = Counter(filed.values_list("code", flat=True))
    duplicated = [code for code, n in codes.items() if n > 1]
    drafts_half = Dossier.objects.filter(status="draft").exclude(code=None).count()  # a code but not submitted
    return lost, half, duplicated, drafts_half, filed.count()


def run():
    if connection.vendor != "postgresql":
        print("drills: skipped on SQLite (the drill restarts PostgreSQL)")
        return
    version = _cluster()
    if version is None:
        print("drills: skipped (no pg_ctlcluster here to restart PostgreSQL with)")
        return
    from egov.accounts.models import User
    from egov.accounts.services import issue_token
    from egov.dossiers import services
    from egov.dossiers.services.applying import missing_documents
    from tests.conftest import make_pdf
    from tests.dossiers.helpers import sample_data

    citizen = User.objects.get(username="congdan")
    sample = sample_data("2.000575")
    probe = services.create_draft(citizen, "2.000575", sample)
    papers = missing_documents(probe)
    probe.delete()
    token, pdf = issue_token(citizen), make_pdf()
    seconds = int(os.environ.get("BENCH_DRILL_SECONDS", 20))
    threads_n = int(os.environ.get("BENCH_DRILL_THREADS", 6))
    outcomes, stop = [], threading.Event()
    with gunicorn(workers=3) as (base, _env):
        threads = [threading.Thread(target=_citizen_loop, args=(base, token, sample, papers, pdf, stop, outcomes))
                   for _ in range(threads_n)]  # fmt: skip
        for thread in threads:
            thread.start()
        time.sleep(seconds / 3)
        restarted_at = time.monotonic()
        _restart(version)
        down = time.monotonic() - restarted_at
        time.sleep(seconds * 2 / 3)
        stop.set()
        for thread in threads:
            thread.join(60)
        wait_until_up(f"{base}/healthz")
    lost, half, duplicated, drafts_half, filed = check(outcomes)
    kinds = Counter(kind for kind, _d, _s in outcomes)
    print(f"drill: PostgreSQL restarted during submissions ({threads_n} citizens for {seconds} s; "
          f"restart took {down:.1f} s)")  # fmt: skip
    refusals = Counter(status for kind, _d, status in outcomes if kind != "submitted")
    print(f"  answers: {kinds['submitted']} submitted, {kinds['refused']} refused, {kinds['no answer']} without answer"
          f" (refusals by status: {dict(sorted(refusals.items(), key=str))})")
    print(f"  in the database: {filed} filed dossiers; lost {len(lost)}, half-written {len(half) + drafts_half}, "
          f"duplicated codes {len(duplicated)}")  # fmt: skip
    crashes = sum(n for status, n in refusals.items() if status == 500)  # a refusal must say 503, not crash
    if lost or half or duplicated or drafts_half or crashes or not kinds["submitted"]:
        raise SystemExit("drill failed: " + repr({"lost": lost, "half": half, "duplicated": duplicated,
                                                  "500 answers": crashes}))  # fmt: skip
