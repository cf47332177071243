"""Render times of the receipt (Mẫu 01) and of a result certificate, end to end:
context, template, WeasyPrint, checksum and storage."""

from .stats import describe, timed

REPEAT = 15


def run():
    from django.core.files.uploadedfile import SimpleUploadedFile

    from egov.accounts.models import User
    from egov.documents import services
    from egov.documents.models import Document, Kind
    from egov.dossiers import services as dossiers
    from egov.dossiers.selectors import team_queue
    from tests.conftest import make_pdf
    from tests.dossiers.helpers import sample_data

    citizen = User.objects.get(username="congdan")
    dossier = dossiers.create_draft(citizen, "2.000575", sample_data("2.000575"))
    for key in ("application", "owner_id"):
        dossiers.add_attachment(citizen, dossier, key, SimpleUploadedFile("a.pdf", make_pdf(), "application/pdf"))
    dossiers.submit(citizen, dossier, consent=True)
    desk = User.objects.get(username="tiepnhan.dongha")
    dossiers.complete_task(desk, team_queue(desk).get(dossier=dossier).pk, "accept")

    def render(kind):
        def once():
            template = "household-business-certificate"
            services.render(Document.objects.create(dossier=dossier, kind=kind, template=template))

        return once

    render(Kind.RECEIPT)()  # warm up: fonts loaded, templates compiled
    print("documents")
    print("  receipt (Mẫu 01, A5):        ", describe(timed(render(Kind.RECEIPT), REPEAT)))
    print("  result certificate (A5):     ", describe(timed(render(Kind.RESULT), REPEAT)))
    print("  control slip (Mẫu 06, A5):   ", describe(timed(render(Kind.CONTROL_SLIP), REPEAT)))
