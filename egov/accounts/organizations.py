"""Organisations that apply, and the people who may file for them.

An organisation is registered by an intake officer who saw its business registration and
its legal representative's ID card (or by an administrator in the admin); a typed tax code
alone opens nothing. Its legal representative files for it and names the staff who may
too; each of them sees its dossiers. Every change is audited.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from egov.audit.services import record

from .identity import applicant_at_desk, check_name, same_name, verified_account
from .models import Organization, OrganizationMember
from .validators import validate_tax_code


def normalise_tax_code(value):
    """Tax codes as the tax office prints them: 10 digits, or 10-3 for a branch."""
    digits = "".join(ch for ch in str(value or "") if ch.isdigit())
    return f"{digits[:10]}-{digits[10:]}" if len(digits) == 13 else digits


def filing_for(user):
    """The active organisations ``user`` may file for: as legal representative or as staff."""
    if not getattr(user, "is_authenticated", False):
        return Organization.objects.none()
    return Organization.objects.filter(
        Q(legal_representative=user) | Q(members__user=user, members__active=True), active=True
    ).distinct()


def may_file_for(user, organization_id):
    return filing_for(user).filter(pk=organization_id).exists()


def by_tax_code(tax_code):
    return Organization.objects.filter(tax_code=normalise_tax_code(tax_code), active=True).first()


def for_client(tax_code, name):
    """The registered organisation another system files for; the name must match."""
    organization = by_tax_code(tax_code)
    if organization is None:
        raise ValidationError(
            {"applicant.tax_code": [_("No organisation is registered with this tax code; it registers at a desk.")]}
        )
    if name and not same_name(organization.name, name):
        raise ValidationError(
            {"applicant.name": [_("This tax code belongs to an organisation with another name.")]},
            code="identity_mismatch",
        )
    return organization


@transaction.atomic
def register(officer, *, tax_code, name, legal_representative, address="", phone="", email=""):
    """Register an organisation, as the officer saw on its business registration."""
    tax_code = normalise_tax_code(tax_code)
    errors = {}
    try:
        validate_tax_code(tax_code)
    except ValidationError as exc:
        errors["tax_code"] = exc.messages
    if not (name or "").strip():
        errors["name"] = [_("Give the organisation's name as on its business registration.")]
    if tax_code and Organization.objects.filter(tax_code=tax_code).exists():
        errors["tax_code"] = [_("An organisation with this tax code is registered already.")]
    if errors:
        raise ValidationError(errors)
    organization = Organization(
        tax_code=tax_code, name=name.strip(), address=address.strip(), phone=phone.strip(), email=email.strip(),
        legal_representative=legal_representative, registered_by=officer,
    )  # fmt: skip
    organization.full_clean()
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError:  # registered meanwhile by another desk
        raise ValidationError({"tax_code": [_("An organisation with this tax code is registered already.")]})
    record(officer, "organization.registered", organization)
    return organization


def register_at_desk(officer, *, registration_seen, legal_representative, **details):
    """An intake officer registers an organisation from its business registration, with its
    legal representative as on their ID card (matched or opened as at the desk)."""
    if not registration_seen:
        raise ValidationError({"registration_seen": [_("Check the business registration before registering.")]})
    with transaction.atomic():
        try:
            person = applicant_at_desk(
                officer, (legal_representative.get("personal_id") or "").strip(),
                legal_representative.get("full_name") or "",
                id_card_seen=legal_representative.get("id_card_seen") is True,
            )  # fmt: skip
        except ValidationError as exc:
            raise ValidationError({f"legal_representative.{k}": v for k, v in exc.message_dict.items()})
        return register(officer, legal_representative=person, **details)


@transaction.atomic
def add_member(actor, organization, personal_id, full_name):
    """The legal representative lets a person file for the organisation: a person whose
    personal ID number is verified (at a desk or by the e-ID), named as on their card."""
    if actor.pk != organization.legal_representative_id:
        raise ValidationError({"personal_id": [_("Only the organisation's legal representative names who may file.")]})
    person = verified_account((personal_id or "").strip())
    if person is None:
        raise ValidationError({"personal_id": [
            _("No account has this personal ID number verified: the person signs in with the e-ID once, or has it "
              "checked at a desk.")
        ]})  # fmt: skip
    try:
        check_name(person, full_name, actor, "organization")
    except ValidationError as exc:
        raise ValidationError({"full_name": exc.message_dict["full_name"]}, code="identity_mismatch")
    if person.pk == organization.legal_representative_id:
        raise ValidationError({"personal_id": [_("The legal representative files for the organisation already.")]})
    member, _created = OrganizationMember.objects.update_or_create(
        organization=organization, user=person, defaults={"active": True, "added_by": actor}
    )
    record(actor, "organization.member_added", organization, after={"member": person.pk})
    return member


@transaction.atomic
def remove_member(actor, organization, member_id):
    if actor.pk != organization.legal_representative_id:
        raise ValidationError(_("Only the organisation's legal representative names who may file."))
    member = OrganizationMember.objects.filter(organization=organization, pk=member_id, active=True).first()
    if member is None:
        raise ValidationError(_("This person may not file for the organisation."))
    member.active = False
    member.save(update_fields=["active"])
    record(actor, "organization.member_removed", organization, after={"member": member.user_id})
    return member


def represented_by(user):
    """The organisations ``user`` is the legal representative of."""
    return Organization.objects.filter(legal_representative=user, active=True)


def members_of(organization):
    return organization.members.filter(active=True).select_related("user").order_by("user__full_name")
