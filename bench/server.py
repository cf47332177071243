"""gunicorn serving the benchmark's own database, for the benchmarks and drills that go
through HTTP (``api_load``, ``drills``)."""

import contextlib
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
BIN = Path(sys.executable).parent


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_up(url, server=None, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server is not None and server.poll() is not None:
            raise RuntimeError("gunicorn stopped before it served a request")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"no answer on {url}")


def database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextlib.contextmanager
def gunicorn(workers, extra_env=None):
    """Yield (base URL, environment) of a gunicorn serving this run's database."""
    work = Path(tempfile.mkdtemp(prefix="egov-http-"))
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": database_url(), "DJANGO_SETTINGS_MODULE": "egov.settings.base",
           "LOG_LEVEL": "ERROR", **(extra_env or {})}  # fmt: skip
    with open(work / "gunicorn.log", "w") as log:
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "egov.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level",
             "error"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=log,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(f"{base}/healthz", server)
            yield base, env
        finally:
            server.terminate()
            server.wait(timeout=30)
