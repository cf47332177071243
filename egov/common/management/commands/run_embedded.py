"""Run the whole product on one machine without any service: web server + Celery worker/beat,
and the payment gateway simulator when the gateway configured is the one on the loopback.

The embedded default keeps the database in SQLite (WAL mode) and the Celery broker in a
folder, so background work (documents, notifications, webhooks, timers) still happens.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.parse

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Start the web server and a Celery worker with beat, on the embedded default."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-worker", action="store_true", help="only the web server")

    def handle(self, host, port, no_worker, **options):
        env = dict(os.environ)
        env.setdefault("DJANGO_SETTINGS_MODULE", "egov.settings.base")
        env.setdefault("EGOV_SITE_URL", f"http://{host}:{port}")
        python = sys.executable
        children = []
        if not no_worker:
            children.append(
                subprocess.Popen(
                    [
                        python,
                        "-m",
                        "celery",
                        "-A",
                        "egov",
                        "worker",
                        "--beat",
                        "--pool=threads",
                        "--concurrency=2",
                        "--loglevel=WARNING",
                        f"--schedule={settings.CELERY_BEAT_SCHEDULE_FILENAME}",
                    ],
                    env=env,
                )
            )
        gateway = urllib.parse.urlsplit(settings.EGOV_VNPAY_PAY_URL)
        if gateway.hostname == "127.0.0.1" and gateway.port:  # the simulator (gateway_simulator/)
            ipn = f"http://{host}:{port}/api/v1/payments/vnpay/ipn/"
            children.append(subprocess.Popen([python, "-m", "gateway_simulator", "--port", str(gateway.port),
                                              "--ipn-url", ipn], env=env))  # fmt: skip
        children.append(
            subprocess.Popen(
                [
                    python,
                    "-m",
                    "gunicorn",
                    "egov.wsgi:application",
                    "--bind",
                    f"{host}:{port}",
                    "--workers",
                    "2",
                    "--threads",
                    "4",
                    "--config",
                    "python:egov.gunicorn_conf",  # an access log without query strings
                    "--log-level",
                    "warning",
                ],
                env=env,
            )
        )
        self.stdout.write(
            self.style.SUCCESS(f"\nMột Cửa is running at http://{host}:{port}/  (Ctrl-C to stop)\n")
            + f"  portal:    http://{host}:{port}/\n"
            + f"  workspace: http://{host}:{port}/backoffice/\n"
            + f"  admin:     http://{host}:{port}/admin/\n"
            + f"  API docs:  http://{host}:{port}/api/docs/\n"
            + "  demo logins: printed above by seed_demo (password: see EGOV_DEMO_PASSWORD)\n"
        )
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and all(child.poll() is None for child in children):
                time.sleep(0.5)
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    child.kill()
        if not stopping:
            failed = [child.args[2] for child in children if child.returncode]
            self.stderr.write(f"a process stopped unexpectedly: {failed}")
            sys.exit(1)
