"""Every kind of applicant: organisations (tax code, legal representative, staff who may file),
foreign nationals (passport) and representation (someone files for another person), online,
at the desk and through the API; the applicant of record on the documents."""

import io

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from egov.accounts import organizations
from egov.audit.models import AuditRecord
from egov.common.errors import InvalidInput, NotAllowed
from egov.dossiers import applicants, selectors, services
from egov.dossiers.services.applying import missing_documents
from tests.dossiers.helpers import client_for
from tests.factories import CitizenFactory, commune, paper, text

pytestmark = pytest.mark.django_db

AUTHORISATION = {"key": "authorisation", "name": text("Văn bản ủy quyền", "Authorisation paper"), "kind": "original",
                 "required": {"var": "applicant.represented"}}  # fmt: skip
SITE_PLAN = {"key": "site_plan", "name": text("Sơ đồ mặt bằng", "Site plan"), "kind": "copy",
             "required": {"==": [{"var": "applicant.type"}, "organization"]}}  # fmt: skip


def world_for(*kinds):
    from tests.factories import DefinitionFactory

    documents = [*DefinitionFactory().get("documents"), AUTHORISATION, SITE_PLAN]
    return commune(applicant_types=list(kinds), documents=documents)


def company(world, staff=()):
    legal = CitizenFactory(full_name="Trần Thị Bình")
    organization = organizations.register(
        world.intake, tax_code="3200123456", name="Công ty TNHH Ánh Dương", legal_representative=legal,
        address="Số 88 Quốc lộ 9",
    )  # fmt: skip
    for person in staff:
        organizations.add_member(legal, organization, person.personal_id, person.full_name)
    return organization


def data(world, name="Công ty TNHH Ánh Dương"):
    return {"full_name": name, "commune": world.agency.code}


def test_staff_named_by_the_legal_representative_files_for_the_organisation_and_both_see_it():
    world = world_for("individual", "organization")
    staff, stranger = CitizenFactory(), CitizenFactory()
    organization = company(world, staff=[staff])

    dossier = services.create_draft(staff, world.code, data(world), applicant={"type": "organization",
                                                                              "tax_code": "3200-123-456"})  # fmt: skip

    assert (dossier.applicant_type, dossier.organization, dossier.applicant, dossier.representative) == (
        "organization", organization, organization.legal_representative, staff)
    # the rules see the organisation as the applicant of record, represented by its staff
    assert set(missing_documents(dossier)) == {"application", "authorisation", "site_plan"}
    assert dossier.data["full_name"] == "Công ty TNHH Ánh Dương"  # prefill: applicant.full_name
    for person in (staff, organization.legal_representative):
        assert selectors.visible_dossiers(person).filter(pk=dossier.pk).exists()
        assert selectors.mine(person).filter(pk=dossier.pk).exists()
    assert not selectors.visible_dossiers(stranger).filter(pk=dossier.pk).exists()
    with pytest.raises(NotAllowed):
        services.create_draft(stranger, world.code, data(world), applicant={"type": "organization",
                                                                            "tax_code": "3200123456"})  # fmt: skip


def test_the_legal_representative_files_with_no_authorisation_and_a_removed_member_no_longer_sees():
    world = world_for("organization")
    staff = CitizenFactory()
    organization = company(world, staff=[staff])
    legal = organization.legal_representative

    dossier = services.create_draft(legal, world.code, data(world), applicant={"type": "organization",
                                                                              "tax_code": "3200123456"})  # fmt: skip

    assert dossier.representative is None
    assert set(missing_documents(dossier)) == {"application", "site_plan"}
    assert selectors.visible_dossiers(staff).filter(pk=dossier.pk).exists()
    member = organization.members.get(user=staff)
    organizations.remove_member(legal, organization, member.pk)
    assert not selectors.visible_dossiers(staff).filter(pk=dossier.pk).exists()
    with pytest.raises(ValidationError):  # only the legal representative names who may file
        organizations.add_member(staff, organization, staff.personal_id, staff.full_name)


def test_a_procedure_not_for_organisations_says_whom_it_is_for_and_makes_nothing():
    world = world_for("individual")
    organization = company(world)
    before = organization.dossiers.count()

    with pytest.raises(InvalidInput) as refused:
        services.create_draft(organization.legal_representative, world.code, data(world),
                              applicant={"type": "organization", "tax_code": "3200123456"})  # fmt: skip

    assert refused.value.code == "applicant_type" and "applicant.type" in refused.value.errors
    assert organization.dossiers.count() == before


def test_a_citizen_files_for_another_person_as_their_representative():
    world = world_for("individual")
    parent = world.citizen
    child = CitizenFactory(full_name="Lê Minh Khang")

    dossier = services.create_draft(parent, world.code, data(world, "Lê Minh Khang"),
                                    applicant={"personal_id": child.personal_id, "full_name": "le minh  KHANG"})  # fmt: skip

    assert (dossier.applicant, dossier.representative, dossier.applicant_type) == (child, parent, "individual")
    assert "authorisation" in missing_documents(dossier)
    services.add_attachment(parent, dossier, "application", paper())
    services.add_attachment(parent, dossier, "authorisation", paper())
    services.submit(parent, dossier, consent=True)
    assert selectors.mine(child).filter(pk=dossier.pk).exists()
    assert selectors.mine(parent).filter(pk=dossier.pk).exists()
    # the wrong name for a verified number stops, audited
    with pytest.raises(InvalidInput) as refused:
        services.create_draft(parent, world.code, data(world), applicant={"personal_id": child.personal_id,
                                                                          "full_name": "Someone Else"})  # fmt: skip
    assert refused.value.code == "identity_mismatch"
    assert AuditRecord.objects.filter(action="identity.name_mismatch", object_id=str(child.pk)).exists()


def test_a_foreign_national_online_declares_a_passport_that_stays_data_until_a_desk_sees_it():
    world = world_for("individual", "foreigner")
    person = CitizenFactory(personal_id="", personal_id_verified_at=None)

    with pytest.raises(InvalidInput) as refused:
        services.create_draft(person, world.code, data(world), applicant={"type": "foreigner",
                                                                          "passport_number": "x1", "nationality": "ZZ"})  # fmt: skip
    assert set(refused.value.errors) == {"applicant.passport_number", "applicant.nationality"}

    dossier = services.create_draft(person, world.code, data(world), applicant={
        "type": "foreigner", "passport_number": "19fr 48213", "nationality": "fr"})  # fmt: skip

    person.refresh_from_db()
    assert (person.passport_number, person.nationality.code, person.passport_verified) == ("19FR48213", "FR", False)
    record = applicants.of_record(dossier)
    assert (record["type"], record["passport_number"], record["identifier"]) == ("foreigner", "19FR48213", "19FR48213")


def test_the_desk_registers_a_foreigner_by_passport_and_finds_them_again_by_it():
    world = world_for("individual", "foreigner")
    walk_in = {"type": "foreigner", "passport_number": "C01234567", "nationality": "DE", "full_name": "Anna Müller",
               "passport_seen": True, "phone": "0905111333"}  # fmt: skip

    first = services.create_draft(world.intake, world.code, data(world), applicant=walk_in)
    again = services.create_draft(world.intake, world.code, data(world), applicant={**walk_in, "passport_seen": False})

    assert first.applicant == again.applicant and first.applicant_type == "foreigner"
    assert first.applicant.passport_verified and first.applicant.passport_verified_by == world.intake
    with pytest.raises(InvalidInput) as refused:
        services.create_draft(world.intake, world.code, data(world), applicant={**walk_in, "full_name": "Bob Stone"})
    assert refused.value.code == "identity_mismatch"
    with pytest.raises(InvalidInput) as unseen:
        services.create_draft(world.intake, world.code, data(world),
                              applicant={**walk_in, "passport_number": "C07654321", "passport_seen": False})  # fmt: skip
    assert "applicant.passport_seen" in unseen.value.errors


def test_the_desk_files_for_an_organisation_with_its_staff_standing_at_the_desk():
    world = world_for("organization")
    organization = company(world)
    clerk = {"personal_id": "045199001122", "full_name": "Phạm Văn Cường", "id_card_seen": True}

    dossier = services.create_draft(world.intake, world.code, data(world),
                                    applicant={"type": "organization", "tax_code": "3200123456"},
                                    representative=clerk)  # fmt: skip

    assert dossier.organization == organization and dossier.representative.full_name == "Phạm Văn Cường"
    assert dossier.representative.personal_id_verified  # the officer saw the card
    unknown = {"type": "organization", "tax_code": "0101234567"}
    with pytest.raises(InvalidInput) as refused:
        services.create_draft(world.intake, world.code, data(world), applicant=unknown)
    assert "applicant.tax_code" in refused.value.errors


def test_the_api_shows_the_applicant_type_and_the_representative_and_files_for_an_organisation():
    world = world_for("individual", "organization")
    staff = CitizenFactory()
    organization = company(world, staff=[staff])
    api = client_for(staff)

    made = api.post("/api/v1/dossiers/", {"procedure": world.code, "data": data(world),
                                          "applicant": {"type": "organization", "tax_code": "3200123456"}},
                    format="json")  # fmt: skip

    assert made.status_code == 201, made.content
    body = api.get(f"/api/v1/dossiers/{made.json()['id']}/").json()
    assert body["applicant"]["type"] == "organization"
    assert body["applicant"]["tax_code"] == "3200123456" and body["applicant"]["full_name"] == organization.name
    assert body["representative"]["full_name"] == staff.full_name
    own = client_for(world.citizen).post("/api/v1/dossiers/", {"procedure": world.code, "data": data(world)},
                                         format="json").json()  # fmt: skip
    assert own["applicant"]["type"] == "individual" and own["representative"] is None


def test_the_receipt_names_the_organisation_as_the_applicant_of_record_and_who_signed(
    django_capture_on_commit_callbacks,
):
    from egov.documents import services as documents
    from egov.documents.models import Document

    world = world_for("organization")
    staff = CitizenFactory(full_name="Hoàng Văn Đức")
    organization = company(world, staff=[staff])
    dossier = services.create_draft(staff, world.code, data(world),
                                    applicant={"type": "organization", "tax_code": "3200123456"})  # fmt: skip
    for key in ("application", "authorisation", "site_plan"):
        services.add_attachment(staff, dossier, key, paper())
    services.submit(staff, dossier, consent=True)
    task = selectors.team_queue(world.intake).get(dossier=dossier)
    services.claim(world.intake, task.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.complete_task(world.intake, task.pk, "accept")

    receipt = Document.objects.get(dossier=dossier, kind="receipt")
    if receipt.status != Document.Status.READY:
        documents.render(receipt)
        receipt.refresh_from_db()
    with receipt.file.open("rb") as handle:
        words = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(handle.read())).pages).split())

    assert organization.name in words and "3200123456" in words
    assert "Hoàng Văn Đức" in words  # filed on the organisation's behalf, and signs
    assert organization.legal_representative.full_name in words
