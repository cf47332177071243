"""The demo province with a few dossiers in every state a citizen and an officer meet: a draft,
one waiting at the desk, one waiting for the case officer, one asked for more papers, one waiting
for its fee, one waiting for the approver (with an apology), one refused, one withdrawn, one
returned and rated. Made through the services and the API, as the pages make them; the documents
and messages follow (Celery is eager in the tests)."""

import datetime
from types import SimpleNamespace

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from egov.dossiers import services
from tests.conftest import make_pdf
from tests.dossiers.helpers import do, drive_to_end, file_dossier, sample_data

HOUSEHOLD = "2.000575"  # household business: Đông Hà decides, a fee before the result
CRIMINAL_RECORD = "2.001417"  # criminal record certificate: the fee before handling
DEATH = "1.000656"  # death registration: no fee


def paper(name="giay-to.pdf"):
    return SimpleUploadedFile(name, make_pdf(), content_type="application/pdf")


def lived_in(demo):
    """The dossiers, by state (Dossier objects, refreshed)."""
    from egov.dossiers.models import Dossier

    citizen = demo["congdan"]
    desk, officer, chair = demo["tiepnhan.dongha"], demo["congchuc.dongha"], demo["chutich.dongha"]
    made = {}

    draft = services.create_draft(citizen, HOUSEHOLD, {**sample_data(HOUSEHOLD), "business_name": "Quán Gió Lào"})
    services.add_attachment(citizen, draft, "application", paper())
    made["draft"] = draft

    made["submitted"] = Dossier.objects.get(pk=file_dossier(citizen, HOUSEHOLD)["id"])

    asked = Dossier.objects.get(pk=file_dossier(citizen, HOUSEHOLD)["id"])
    do(desk, asked, "accept")
    do(officer, asked, "supplement", data={"documents": ["owner_id"], "fields": ["business_name"]},
       note="Ảnh căn cước bị mờ; tên hộ trùng.")  # fmt: skip
    made["supplement"] = asked

    appraisal = Dossier.objects.get(pk=file_dossier(citizen, HOUSEHOLD)["id"])
    do(desk, appraisal, "accept")
    made["appraisal"] = appraisal

    fee = Dossier.objects.get(pk=file_dossier(citizen, CRIMINAL_RECORD,
                                              {**sample_data(CRIMINAL_RECORD), "fee_category": "standard"})["id"])  # fmt: skip
    do(demo["tiepnhan.tt"], fee, "accept")
    made["awaiting_payment"] = fee

    approval = Dossier.objects.get(pk=file_dossier(citizen, HOUSEHOLD)["id"])
    do(desk, approval, "accept")
    do(officer, approval, "forward")
    services.apologise(chair, approval, timezone.now() + datetime.timedelta(days=40), "Chờ xác minh địa điểm.")
    made["approval"] = approval

    refused = Dossier.objects.get(pk=file_dossier(citizen, DEATH)["id"])
    do(desk, refused, "refuse", note="Đã đăng ký khai tử tại nơi khác.")
    made["refused"] = refused

    withdrawn = Dossier.objects.get(pk=file_dossier(citizen, HOUSEHOLD)["id"])
    services.withdraw(citizen, withdrawn, "Nộp nhầm thủ tục.")
    made["withdrawn"] = withdrawn

    returned = file_dossier(citizen, HOUSEHOLD)
    drive_to_end(returned["id"], demo["quantri"])
    returned = Dossier.objects.get(pk=returned["id"])
    services.rate(citizen, returned, 5, "Nhanh, gọn.")
    made["returned"] = returned

    for dossier in made.values():
        dossier.refresh_from_db()
    return SimpleNamespace(**made)
