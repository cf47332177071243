"""Who a new dossier is for and who files it, settled before the draft is made.

The ``applicant`` given to :func:`create_draft` says whom the dossier is for:

- nothing, or ``{"type": "individual"}``: the citizen filing, for themselves;
- ``{"type": "foreigner"}``: the citizen filing, as a foreign national known by the passport
  on their account; at the desk ``{"type": "foreigner", "passport_number", "nationality",
  "full_name", "passport_seen"}``;
- ``{"type": "organization", "tax_code"}``: a registered organisation the filer may file for
  (its legal representative, or staff the representative named);
- ``{"type": "individual", "personal_id", "full_name"}`` from a citizen: another person, for
  whom the citizen files as their representative (a parent, a lawyer, a relative).

At the desk, ``representative`` (``{personal_id, full_name, id_card_seen}``) is the person
standing there for the applicant; the organisation's staff at the desk come this way too.
Whoever represents, the procedure's rules see ``applicant.represented`` and may ask for the
authorisation paper; the intake officer checks it as any other paper.
"""

from dataclasses import dataclass, replace

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from egov.accounts import identity, organizations
from egov.accounts.models import Organization, User
from egov.common.errors import InvalidInput, NotAllowed
from egov.common.vocabulary import ApplicantType


@dataclass(frozen=True)
class Parties:
    applicant: User
    applicant_type: str = ApplicantType.INDIVIDUAL
    organization: Organization | None = None
    representative: User | None = None

    def filed_by(self, person):
        """The same parties, filed by ``person``: their representative, unless they are the
        applicant's own person (nobody represents themselves, nor the organisation they are
        the legal representative of)."""
        if person is None or person.pk == self.applicant.pk:
            return self
        return replace(self, representative=person)


def kind_of(applicant):
    """The kind of applicant a request names (a dossier is for a person unless it says else)."""
    kind = (applicant.get("type") if isinstance(applicant, dict) else None) or ApplicantType.INDIVIDUAL
    if kind not in ApplicantType.values:
        raise InvalidInput(errors={"applicant.type": [_("Choose individual, organisation or foreign national.")]})
    return kind


def check_served(kind, spec):
    """The procedure says which kinds of applicant it serves (``applicant_types``): checked
    before anyone's account is looked up or opened."""
    if kind not in spec.applicant_types:
        allowed = ", ".join(str(ApplicantType(served).label).lower() for served in spec.applicant_types)
        raise InvalidInput(
            errors={"applicant.type": [_("This procedure is for: %(kinds)s.") % {"kinds": allowed}]},
            code="applicant_type",
        )


def _invalid(exc, prefix="applicant."):
    """A ValidationError from accounts (field errors), as the field errors of this request."""
    fields = {(k if k.startswith(prefix) else f"{prefix}{k}"): v for k, v in exc.message_dict.items()}
    return InvalidInput(
        errors=fields, code="identity_mismatch" if isinstance(exc, identity.IdentityMismatch) else "invalid"
    )


def _organization(filer, tax_code):
    """A registered organisation: its legal representative is the applicant of record's person."""
    organization = organizations.by_tax_code(tax_code or "")
    if organization is None:
        raise InvalidInput(errors={"applicant.tax_code": [
            _("No organisation is registered with this tax code; it registers at a one-stop desk.")
        ]})  # fmt: skip
    if filer is not None and not organizations.may_file_for(filer, organization.pk):
        raise NotAllowed(_("You may not file for this organisation: its legal representative names who may."))
    return Parties(organization.legal_representative, ApplicantType.ORGANIZATION, organization)


def for_citizen(user, applicant):
    """A citizen online: for themselves, as a foreign national, for an organisation, or for
    another person."""
    applicant = applicant if isinstance(applicant, dict) else {}
    kind = kind_of(applicant)
    if kind == ApplicantType.ORGANIZATION:
        return _organization(user, applicant.get("tax_code")).filed_by(user)
    if kind == ApplicantType.FOREIGNER:
        _declare_passport(user, applicant)
        return Parties(user, ApplicantType.FOREIGNER)
    personal_id = str(applicant.get("personal_id") or "").strip()
    if not personal_id or personal_id == user.personal_id:
        return Parties(user)
    try:  # someone else: their verified account (the name must match), else one opened for them
        other = identity.applicant_for_client(user, personal_id, str(applicant.get("full_name") or ""))
    except ValidationError as exc:
        raise _invalid(exc)
    return Parties(other).filed_by(user)


def _declare_passport(user, applicant):
    """A foreign national online: the passport on their account, typed now if none is there
    yet. Typed, it is data, not identity: the intake officer checks the passport itself."""
    if not applicant.get("passport_number") and user.passport_number and user.nationality:
        return
    try:
        number, nationality = identity.checked_passport(applicant.get("passport_number"), applicant.get("nationality"))
    except ValidationError as exc:
        raise _invalid(exc)
    if user.passport_verified and (number, nationality) != (user.passport_number, user.nationality.code):
        raise InvalidInput(errors={"applicant.passport_number": [
            _("Your account holds a passport an officer checked; a new one is checked at a desk.")
        ]})  # fmt: skip
    user.passport_number, user.nationality = number, nationality
    user.save(update_fields=["passport_number", "nationality"])


def for_desk(officer, applicant, representative=None):
    """At the desk: the applicant as on their ID card or passport, or a registered
    organisation; then the person standing for them, when it is someone else (checked in
    that order, so that a wrong applicant opens no account for the person standing there)."""
    who = _desk_applicant(officer, applicant)
    return who.filed_by(_desk_person(officer, representative, "representative.") if representative else None)


def _desk_applicant(officer, applicant):
    if isinstance(applicant, User):
        return Parties(applicant)
    if isinstance(applicant, dict):
        kind = kind_of(applicant)
        if kind == ApplicantType.ORGANIZATION:
            return _organization(None, applicant.get("tax_code"))
        if kind == ApplicantType.FOREIGNER:
            try:
                found = identity.foreigner_at_desk(
                    officer, str(applicant.get("passport_number") or ""), str(applicant.get("nationality") or ""),
                    str(applicant.get("full_name") or ""), passport_seen=applicant.get("passport_seen") is True,
                    **_contacts(applicant),
                )  # fmt: skip
            except ValidationError as exc:
                raise _invalid(exc)
            return Parties(found, ApplicantType.FOREIGNER)
        return Parties(_desk_person(officer, applicant, "applicant."))
    if not applicant:
        raise InvalidInput(errors={"applicant": [_("Say who the applicant is (personal ID number).")]})
    found = identity.verified_account(str(applicant))
    if found is None:
        message = _(
            "No citizen account has this personal ID number verified; register the applicant with the "
            "ID card at the desk."
        )
        raise InvalidInput(errors={"applicant": [message]})
    return Parties(found)


def _contacts(values):
    return {key: str(values.get(key) or "")[:300] for key in ("phone", "email", "address")}


def _desk_person(officer, values, prefix):
    try:
        return identity.applicant_at_desk(
            officer, str(values.get("personal_id") or "").strip(), str(values.get("full_name") or ""),
            id_card_seen=values.get("id_card_seen") is True, **_contacts(values),
        )  # fmt: skip
    except ValidationError as exc:
        raise _invalid(exc, prefix)


def for_client(client_user, applicant):
    """Another system files for a citizen it identified, or for a registered organisation."""
    if not isinstance(applicant, dict):
        raise InvalidInput(errors={"applicant": [_("Give the applicant as {personal_id, full_name, …}.")]})
    kind = kind_of(applicant)
    if kind == ApplicantType.FOREIGNER:
        raise InvalidInput(errors={"applicant.type": [_("A foreign national files online or at a desk.")]})
    try:
        if kind == ApplicantType.ORGANIZATION:
            organization = organizations.for_client(str(applicant.get("tax_code") or ""),
                                                    str(applicant.get("name") or ""))  # fmt: skip
            return Parties(organization.legal_representative, ApplicantType.ORGANIZATION, organization)
        return Parties(identity.applicant_for_client(
            client_user, str(applicant.get("personal_id") or "").strip(), str(applicant.get("full_name") or ""),
            **_contacts(applicant),
        ))  # fmt: skip
    except ValidationError as exc:
        raise _invalid(exc)
