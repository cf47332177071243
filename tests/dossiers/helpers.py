"""Driving dossiers as the real clients do: through the REST API (tokens, JSON, multipart), and
through the services as the pages do (``do``)."""

from rest_framework.test import APIClient

from egov.accounts.models import RoleAssignment
from egov.accounts.services import issue_token
from egov.catalog import selectors as catalog
from egov.dossiers import services
from egov.dossiers.selectors import my_tasks, team_queue
from tests.conftest import make_pdf

VALUE_BY_TYPE = {
    "text": "Nguyễn Văn An",
    "textarea": "Ghi chú",
    "personal_id": "045090001234",
    "phone": "0912345678",
    "email": "an@example.vn",
    "agency": "000.17.22.H56",
    "date": "2000-01-01",
    "boolean": False,
}
# Outcomes an officer picks to move a dossier forward, best first.
FORWARD = ("accept", "forward", "approve", "issue", "answer", "paid", "returned")


def client_for(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user)}")
    return client


def sample_data(code, agency=None):
    """Values for every required field of the procedure in force (``agency``: the code for its
    agency fields; the demo's Đông Hà by default)."""
    spec = catalog.version_in_force(code).spec
    data = {}
    for field in spec.input_fields:
        if field.required is not True:
            continue
        if field.type in ("integer", "decimal", "money"):
            data[field.key] = max(field.get("min", 1), 1)
        elif field.type in ("choice", "multichoice"):
            first = field.choices()[0][0]
            data[field.key] = [first] if field.type == "multichoice" else first
        elif field.type == "agency" and agency:
            data[field.key] = agency
        else:
            data[field.key] = VALUE_BY_TYPE[field.type]
    return data


def draft_with_papers(citizen, code="2.000575", pdf=None):
    """A draft of the household-business procedure with its two papers, through the service
    layer (``pdf``: the bytes of each paper, made once by the caller that times this)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from egov.dossiers import services

    dossier = services.create_draft(citizen, code, sample_data(code))
    for key in ("application", "owner_id"):
        paper = SimpleUploadedFile("paper.pdf", pdf or make_pdf(), content_type="application/pdf")
        services.add_attachment(citizen, dossier, key, paper)
    return dossier


def upload(client, dossier_id, document, content=None, name="paper.pdf"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload_file = SimpleUploadedFile(name, content or make_pdf(), content_type="application/pdf")
    return client.post(
        f"/api/v1/dossiers/{dossier_id}/attachments/", {"document": document, "file": upload_file}, format="multipart"
    )


def file_dossier(citizen, code, data=None):
    """Create, upload every required paper, submit. Returns the submitted dossier's JSON."""
    client = client_for(citizen)
    answer = client.post("/api/v1/dossiers/", {"procedure": code, "data": data or sample_data(code)})
    assert answer.status_code == 201, answer.json()
    dossier_id = answer.json()["id"]
    from egov.dossiers.models import Dossier
    from egov.dossiers.services.applying import missing_documents

    for key in missing_documents(Dossier.objects.get(pk=dossier_id)):
        assert upload(client, dossier_id, key).status_code == 201
    answer = client.post(f"/api/v1/dossiers/{dossier_id}/submit/", {"consent": True}, format="json")
    assert answer.status_code == 200, answer.json()
    return answer.json()


def officer_for(task):
    assignment = RoleAssignment.objects.filter(role=task["role"], agency__code=task["agency"]["code"]).first()
    assert assignment, f"no demo officer is {task['role']} at {task['agency']['code']}"
    return assignment.user


def open_tasks(dossier_id, officer):
    answer = client_for(officer).get(f"/api/v1/dossiers/{dossier_id}/")
    assert answer.status_code == 200
    return answer.json()["open_tasks"]


def act(officer, task_id, outcome, data=None, note=""):
    return client_for(officer).post(
        f"/api/v1/tasks/{task_id}/complete/", {"outcome": outcome, "data": data or {}, "note": note}
    )


def drive_to_end(dossier_id, any_staff, choose=None, max_moves=30):
    """Complete every open task with a forward outcome until nothing is open."""
    moves = []
    for _ in range(max_moves):
        tasks = open_tasks(dossier_id, any_staff)
        if not tasks:
            return moves
        task = tasks[0]
        officer = officer_for(task)
        detail = client_for(officer).get(f"/api/v1/tasks/{task['id']}/").json()
        outcome = (choose or {}).get(task["step"]) or next(o for o in FORWARD if o in detail["outcomes"])
        note = "Ý kiến: đồng ý." if outcome == "answer" else ""
        step_data = {f["key"]: VALUE_BY_TYPE.get(f["type"], 1) for f in detail["form"] if f.get("required") is True}
        answer = act(officer, task["id"], outcome, data=step_data, note=note)
        assert answer.status_code == 200, answer.json()
        moves.append((task["step"], outcome))
    raise AssertionError(f"dossier did not finish: {moves}")


# --- through the services (the API helpers above go through HTTP) ---------------------------


def open_task(dossier, user):
    task = team_queue(user).filter(dossier=dossier).first() or my_tasks(user).filter(dossier=dossier).first()
    assert task is not None, f"{user.username} has no task for {dossier}"
    return task


def do(user, dossier, outcome, **kwargs):
    task = open_task(dossier, user)
    services.complete_task(user, task.pk, outcome, **kwargs)
    dossier.refresh_from_db()
    return dossier
