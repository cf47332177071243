"""Review L8: the web server's access log keeps no query string and no Referer, the places a
tracking key or a personal ID number would otherwise be written to disk."""

import os
import socket
import subprocess
import sys
import time

import requests


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gunicorns_access_log_has_the_path_but_not_the_query_string(tmp_path):
    port = free_port()
    log = tmp_path / "access.log"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "egov.settings.base",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:egov.gunicorn_conf", "egov.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--access-logfile", str(log)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}/no-such-page/?key=KEY7H9QX&personal_id=045099012345"
        for _ in range(100):
            try:
                answer = requests.get(url, headers={"Referer": "http://x.example/track/?key=REFK3Y99"}, timeout=5)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        assert answer.status_code == 404
        for _ in range(50):  # gunicorn writes the line after the answer
            if log.exists() and log.read_text():
                break
            time.sleep(0.1)
    finally:
        server.terminate()
        server.wait(10)
    line = log.read_text()
    assert '"GET /no-such-page/ HTTP/1.1" 404' in line
    for secret in ("KEY7H9QX", "045099012345", "REFK3Y99", "?"):
        assert secret not in line, line
