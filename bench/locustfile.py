"""The mixed API load of ``python -m bench api_load`` (run by locust, headless).

Citizens browse the catalogue, follow their dossiers and file new ones (create, upload two
papers, submit); officers read their queue and a dossier and take intake tasks through
(claim and accept). Tokens and the sample form come from the environment, set by
``bench/api_load.py``.
"""

import json
import os

from locust import HttpUser, between, task

PROCEDURE = os.environ.get("LOAD_PROCEDURE", "2.000575")
SAMPLE = json.loads(os.environ.get("LOAD_SAMPLE_DATA", "{}"))
PAPERS = os.environ.get("LOAD_PAPERS", "").split(",")
PDF = open(os.environ["LOAD_PDF"], "rb").read() if os.environ.get("LOAD_PDF") else b""  # noqa: SIM115


class Citizen(HttpUser):
    weight = 3
    wait_time = between(0.05, 0.2)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {os.environ['LOAD_CITIZEN_TOKEN']}"

    @task(4)
    def search_catalogue(self):
        self.client.get("/api/v1/procedures/?q=ho%20kinh%20doanh", name="GET /procedures/?q=")

    @task(3)
    def procedure(self):
        self.client.get(f"/api/v1/procedures/{PROCEDURE}/", name="GET /procedures/{code}/")

    @task(3)
    def my_dossiers(self):
        self.client.get("/api/v1/dossiers/", name="GET /dossiers/")

    @task(1)
    def apply(self):
        created = self.client.post("/api/v1/dossiers/", json={"procedure": PROCEDURE, "data": SAMPLE},
                                   name="POST /dossiers/")  # fmt: skip
        if created.status_code != 201:
            return
        dossier = created.json()["id"]
        for paper in PAPERS:
            self.client.post(f"/api/v1/dossiers/{dossier}/attachments/", data={"document": paper},
                             files={"file": ("paper.pdf", PDF, "application/pdf")},
                             name="POST /dossiers/{id}/attachments/")  # fmt: skip
        self.client.post(f"/api/v1/dossiers/{dossier}/submit/", json={"consent": True},
                         name="POST /dossiers/{id}/submit/")


class Officer(HttpUser):
    weight = 1
    wait_time = between(0.05, 0.2)

    def on_start(self):
        self.client.headers["Authorization"] = f"Token {os.environ['LOAD_OFFICER_TOKEN']}"

    @task(4)
    def queue(self):
        self.client.get("/api/v1/tasks/?scope=queue", name="GET /tasks/?scope=queue")

    @task(2)
    def take_one(self):
        listed = self.client.get("/api/v1/tasks/?scope=queue&page_size=5", name="GET /tasks/?scope=queue")
        if listed.status_code != 200 or not listed.json()["results"]:
            return
        item = listed.json()["results"][0]
        self.client.get(f"/api/v1/dossiers/{item['dossier']['id']}/", name="GET /dossiers/{id}/")
        with self.client.post(f"/api/v1/tasks/{item['id']}/complete/", json={"outcome": "accept", "data": {}},
                              name="POST /tasks/{id}/complete/", catch_response=True) as answer:  # fmt: skip
            if answer.status_code == 409:  # another officer took it first: a correct refusal, not an error
                answer.success()
