"""The applicant of record: who a dossier is for, read in one place.

A dossier stores three people-ish things (egov/dossiers/models.py): ``applicant`` (a person's
account), ``organization`` (set when an organisation applies: then it is the applicant of
record and ``applicant`` its legal representative at filing) and ``representative`` (whoever
filed on the applicant's behalf, with an authorisation paper). Documents, the register, the
API, the pages and the rules all read them through these functions, so that "who applied"
means the same everywhere.
"""

from egov.catalog import eform
from egov.common.vocabulary import ApplicantType


def condition_context(dossier):
    """The ``applicant`` part of the rules' context (``applicant.type``, ``applicant.represented``…)."""
    return eform.applicant_context(
        dossier.applicant, dossier.applicant_type, organization=dossier.organization,
        represented=dossier.representative_id is not None,
    )  # fmt: skip


def of_record(dossier):
    """Who the dossier is for, as printed: name, identifier and contacts of the organisation or
    the person, and who filed for them."""
    person = dossier.applicant
    kind = ApplicantType(dossier.applicant_type)
    if dossier.organization_id:
        org = dossier.organization
        record = {
            "type": kind.value, "type_label": str(kind.label), "full_name": org.name, "tax_code": org.tax_code,
            "personal_id": "", "address": org.address, "phone": org.phone, "email": org.email,
            "legal_representative": person.full_name,
        }  # fmt: skip
    else:
        record = {
            "type": kind.value, "type_label": str(kind.label), "full_name": person.full_name,
            "personal_id": person.personal_id, "address": person.address, "phone": person.phone, "email": person.email,
        }  # fmt: skip
        if kind == ApplicantType.FOREIGNER:
            record["passport_number"] = person.passport_number
            record["nationality"] = str(person.nationality.name) if person.nationality else ""
    record["identifier"] = _identifier(record)
    rep = dossier.representative
    record["representative"] = {"full_name": rep.full_name, "personal_id": rep.personal_id} if rep else None
    return record


def _identifier(record):
    """The one number that identifies the applicant of record: tax code, passport or personal ID."""
    return record.get("tax_code") or record.get("passport_number") or record.get("personal_id") or ""
