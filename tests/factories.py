"""Test data, built for each test (factory_boy). The demo province (``seed_demo``) is for the
end-to-end API and browser tests only; everything else builds the little it needs here.

* :class:`AgencyFactory`, :class:`CitizenFactory`, :class:`StaffFactory` and :func:`officer`
  (a staff user holding a role at an agency);
* :class:`AppFactory` is an app registered to act as citizens (OAuth 2.0);
* :class:`DefinitionFactory` builds a procedure definition (a dict of the format, valid by
  default: one step, no fee); :func:`published` imports and publishes one through the
  catalogue's own service, as an administrator would;
* :func:`commune` is a small world most engine tests need: a commune with its one-stop desk
  and an officer for every role of the default steps, a citizen, and a procedure decided
  there; :func:`household` is the same around the demo household-business procedure, with
  :func:`household_data` and :func:`household_draft`; :func:`demo_procedure` publishes one
  demo definition without the province; :func:`administrator` is the demo's superuser.
"""

import datetime
from pathlib import Path
from types import SimpleNamespace

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.django import DjangoModelFactory

from egov.accounts.models import RoleAssignment, User
from egov.agencies.models import Agency
from egov.catalog.services import import_definition
from egov.common.vocabulary import Role

PASSWORD = "test-Mot-Cua-2026"


class AgencyFactory(DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"000.{n // 100 % 100:02d}.{n % 100:02d}.H99")
    name = factory.Sequence(lambda n: f"Đơn vị thử {n}")
    name_en = factory.Sequence(lambda n: f"Test unit {n}")
    level = Agency.Level.COMMUNE


def _personal_id(n):
    # Province 045 (Quảng Trị), a man born in the 1990s, then a serial: a valid number.
    return f"0450{90 + n % 10:02d}{n:06d}"[:12]


class CitizenFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"citizen{n}")
    kind = User.Kind.CITIZEN
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Thử {n}")
    personal_id = factory.Sequence(_personal_id)
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    phone = factory.Sequence(lambda n: f"09{n % 100000000:08d}")
    address = "Số 1 Lê Lợi, phường Đông Hà"
    date_of_birth = factory.Sequence(lambda n: datetime.date(1990 + n % 10, 1, 1))
    preferred_language = "vi"
    # Proved by default (a code, the desk): what most tests need; unproved=True for the rest.
    personal_id_verified_at = factory.LazyFunction(timezone.now)
    personal_id_verified_via = "desk"
    email_verified_at = factory.LazyFunction(timezone.now)
    phone_verified_at = factory.LazyFunction(timezone.now)

    class Params:
        unproved = factory.Trait(
            personal_id_verified_at=None, personal_id_verified_via="", email_verified_at=None, phone_verified_at=None
        )

    @factory.post_generation
    def password(user, create, extracted, **kwargs):
        user.set_password(extracted or PASSWORD)
        if create:
            user.save(update_fields=["password"])


class StaffFactory(CitizenFactory):
    username = factory.Sequence(lambda n: f"officer{n}")
    kind = User.Kind.STAFF
    full_name = factory.Sequence(lambda n: f"Cán bộ Thử {n}")
    personal_id = ""
    date_of_birth = None
    personal_id_verified_at = None
    personal_id_verified_via = ""


class RoleAssignmentFactory(DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(StaffFactory)
    role = Role.CASE_OFFICER
    agency = factory.SubFactory(AgencyFactory)


class AppFactory(DjangoModelFactory):
    """An app registered to act as citizens with their consent (OAuth 2.0, egov/accounts/oauth/):
    public (a mobile app, no secret) with one exact redirect URI, unless told otherwise."""

    class Meta:
        model = "oauth2_provider.Application"

    name = factory.Sequence(lambda n: f"Ứng dụng thử {n}")
    client_type = "public"
    authorization_grant_type = "authorization-code"
    redirect_uris = "https://app.example.vn/callback"


def officer(role, agency, user=None, **fields):
    """A staff user holding ``role`` at ``agency`` (another role for ``user`` when given)."""
    user = user or StaffFactory(**fields)
    RoleAssignmentFactory(user=user, role=role, agency=agency)
    return user


def text(vi, en=None):
    return {"vi": vi, "en": en or vi}


class DefinitionFactory(factory.DictFactory):
    """A procedure definition of the format, valid as it stands; override any key."""

    format = 1
    code = factory.Sequence(lambda n: f"9.{n:06d}")
    name = factory.LazyAttribute(lambda d: text(f"Thủ tục thử {d.code}", f"Test procedure {d.code}"))
    sector = factory.LazyFunction(lambda: {"code": "TEST", "name": text("Lĩnh vực thử", "Test sector")})
    level = "commune"
    online_level = "full"
    applicant_types = factory.LazyFunction(lambda: ["individual"])
    channels = factory.LazyFunction(lambda: ["online", "in_person", "post"])
    agencies = factory.LazyFunction(lambda: {"deciding": {"level": "commune", "from_field": "commune"}})
    time_limit = factory.LazyFunction(lambda: {"working_days": 3})
    documents = factory.LazyFunction(
        lambda: [{"key": "application", "name": text("Đơn đề nghị", "Application"), "kind": "original",
                  "required": True}]
    )  # fmt: skip
    form = factory.LazyFunction(
        lambda: [
            {"key": "full_name", "type": "text", "label": text("Họ và tên", "Full name"), "required": True,
             "prefill": "applicant.full_name"},
            {"key": "commune", "type": "agency", "level": "commune", "label": text("Xã, phường", "Commune"),
             "required": True},
        ]
    )  # fmt: skip
    steps = factory.LazyFunction(lambda: [step("appraise", Role.CASE_OFFICER, ["forward", "supplement", "reject"])])
    result = factory.LazyFunction(
        lambda: {"name": text("Giấy xác nhận", "Certificate"), "template": "household-business-certificate",
                 "electronic": True}
    )  # fmt: skip


def step(key, role=None, outcomes=("forward",), at="deciding", budget_hours=8, **more):
    """One entry of ``steps`` (a consultation: ``consult=[{agency, role}]`` and no role)."""
    entry = {"key": key, "name": text(f"Bước {key}", f"Step {key}"), "budget_hours": budget_hours, **more}
    if role is not None:
        entry.update(role=str(role), at=at, outcomes=[str(o) for o in outcomes])
    return entry


def published(**definition):
    """A procedure published through the catalogue's own import (the version in force)."""
    result = import_definition(DefinitionFactory(**definition), publish=True)
    return result.version


def paper(name="paper.pdf"):
    """An uploaded PDF, as a browser sends it."""
    from tests.conftest import make_pdf

    return SimpleUploadedFile(name, make_pdf(), content_type="application/pdf")


def commune(agency=None, **definition):
    """A commune (``agency``, else a new one) that receives and decides its own procedure:
    its desk (intake officer), a case officer, an approver, a clerk and a centre manager, a
    citizen, and a procedure (``definition`` overrides DefinitionFactory; by default one
    step ``appraise`` by the case officer)."""
    unit = agency or AgencyFactory()
    world = SimpleNamespace(
        agency=unit,
        intake=officer(Role.INTAKE_OFFICER, unit),
        case_officer=officer(Role.CASE_OFFICER, unit),
        approver=officer(Role.APPROVER, unit),
        clerk=officer(Role.CLERK, unit),
        manager=officer(Role.CENTER_MANAGER, unit),
        citizen=CitizenFactory(),
    )
    world.version = published(**definition)
    world.code = world.version.procedure.code
    return world


def draft(world, citizen=None, data=None, papers=True):
    """A draft of the world's procedure with its required papers, through the services."""
    from egov.dossiers import services

    citizen = citizen or world.citizen
    values = {"full_name": citizen.full_name, "commune": world.agency.code, **(data or {})}
    dossier = services.create_draft(citizen, world.code, values)
    if papers:
        for document in dossier.spec.documents:
            if document.required is True:
                services.add_attachment(citizen, dossier, document.key, paper())
    return dossier


def submitted(world, citizen=None, data=None):
    """A dossier of the world's procedure, submitted (waiting at the desk)."""
    from egov.dossiers import services

    citizen = citizen or world.citizen
    return services.submit(citizen, draft(world, citizen, data), consent=True)


DEMO_PROCEDURES = Path(__file__).resolve().parents[1] / "egov" / "catalog" / "demo_procedures"
HOUSEHOLD_BUSINESS = "household-business-registration.yaml"  # the demo's 2.000575


def demo_definition(filename):
    """One demo procedure's definition (egov/catalog/demo_procedures/<filename>), as its file says."""
    from egov.catalog.format import load_text

    path = DEMO_PROCEDURES / filename
    return load_text(path.read_text(encoding="utf-8"), name=path.name)


def demo_procedure(filename, **agency_fields):
    """One of the demo procedures, published through the catalogue's import, with the
    agencies it names made first (departments; ``agency_fields`` for them). The province's
    other agencies and people are not made."""
    definition = demo_definition(filename)
    codes = {definition.get("agencies", {}).get("deciding", {}).get("code")}
    receiving = definition.get("agencies", {}).get("receiving")
    codes |= set(receiving) if isinstance(receiving, list) else set()
    for entry in definition.get("steps", []):
        codes |= {entry.get("at")} | {c["agency"] for c in entry.get("consult", [])}
    for code in codes - {None, "deciding", "receiving"}:
        AgencyFactory(code=code, level=Agency.Level.DEPARTMENT, **agency_fields)
    return import_definition(definition, publish=True).version


def household(**agency_fields):
    """A commune (``agency_fields`` for it, e.g. ``office_hours``) that receives and decides
    the demo household-business procedure 2.000575 (appraise, approve, issue; a fee of
    100,000 when not filed online), with an officer for every role and a citizen. Called
    again: another commune, the same procedure."""
    return commune(agency=AgencyFactory(**agency_fields), **demo_definition(HOUSEHOLD_BUSINESS))


def household_data(world, citizen=None, **more):
    """Every required field of the household-business form: the owner, the business in the
    world's commune."""
    citizen = citizen or world.citizen
    return {
        "owner_name": citizen.full_name, "owner_personal_id": citizen.personal_id,
        "business_name": "Quán cà phê Gió Lào", "business_address": "12 Lê Duẩn, Đông Hà",
        "business_commune": world.agency.code, "activities": "Cà phê, giải khát", "capital": 50000000, **more,
    }  # fmt: skip


def household_draft(world, citizen=None, **more):
    """A household-business draft with its two papers, through the services."""
    from egov.dossiers import services

    citizen = citizen or world.citizen
    dossier = services.create_draft(citizen, world.code, household_data(world, citizen, **more))
    for key in ("application", "owner_id"):
        services.add_attachment(citizen, dossier, key, paper())
    return dossier


def administrator():
    """A superuser who also administers procedures, at a province (the demo's ``quantri``)."""
    return officer(Role.PROCEDURE_ADMIN, AgencyFactory(level=Agency.Level.PROVINCE), is_staff=True,
                   is_superuser=True)  # fmt: skip
