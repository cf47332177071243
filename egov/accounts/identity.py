"""Who a person is: verified personal ID numbers, and finding the applicant of a dossier.

A personal ID number a person typed proves nothing: anyone can type anyone's number. It is
*verified* from the national e-ID's claims, or when an intake officer saw the ID card at
the desk (who and when are kept). The desk, API clients and the e-ID login match verified
numbers only, compare the name, and stop with a clear message and an audit record when it
differs. An account whose number was only self-declared is never entered through someone
else's e-ID, and never renamed.
"""

import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from egov.audit.services import record
from egov.common.text_search import fold

from .models import IdentityProof, User
from .validators import normalise_passport, validate_passport, validate_personal_id


class IdentityMismatch(ValidationError):
    """The name given does not match the verified account of that personal ID number."""


def generated_username(prefix="citizen"):
    """A username nobody has to know or type (people sign in with a proved e-mail, phone or
    the e-ID); never made of a personal ID number."""
    while True:
        candidate = f"{prefix}-{secrets.token_hex(5)}"
        if not User.objects.filter(username=candidate).exists():
            return candidate


def same_name(first, second):
    """Names compared as people write them: case, diacritics and spacing do not count."""
    return " ".join(fold(first or "").split()) == " ".join(fold(second or "").split())


def verified_account(personal_id):
    """The account holding ``personal_id`` verified, or None."""
    if not personal_id:
        return None
    return User.objects.filter(
        personal_id=personal_id, personal_id_verified_at__isnull=False, kind=User.Kind.CITIZEN, is_active=True
    ).first()


def check_name(account, full_name, actor, where):
    """Stop when ``full_name`` is not the name of ``account`` (audited)."""
    if not full_name or same_name(account.full_name, full_name):
        return
    # Callers check identity before they open their transaction, so this record stays when
    # the change it explains is refused.
    record(actor, "identity.name_mismatch", account, after={"where": where})
    raise IdentityMismatch(
        {"full_name": [_("This personal identification number belongs to someone with another name. "
                         "Check the ID card; the mismatch has been recorded.")]},
        code="identity_mismatch",
    )  # fmt: skip


def mark_verified(user, via, officer=None, now=None):
    user.personal_id_verified_at = now or timezone.now()
    user.personal_id_verified_via = via
    user.personal_id_verified_by = officer
    user.save(update_fields=["personal_id_verified_at", "personal_id_verified_via", "personal_id_verified_by"])
    record(officer, "identity.verified", user, after={"via": via})


def applicant_at_desk(officer, personal_id, full_name, *, phone="", email="", address="", id_card_seen=False):
    """The applicant a walk-in is, as the intake officer checked on the ID card.

    A verified account with that number is the applicant if the name matches. Otherwise a
    new account is opened, its number verified by this officer, who must have seen the
    card. An account where someone only typed this number is left alone: it may not be
    the person standing at the desk.
    """
    try:
        validate_personal_id(personal_id)
    except ValidationError as exc:
        raise ValidationError({"personal_id": exc.messages})
    account = verified_account(personal_id)
    if account is not None:
        check_name(account, full_name, officer, "desk")
        return account
    if not id_card_seen:
        raise ValidationError({"id_card_seen": [_("Check the ID card before a new applicant is registered.")]})
    if not (full_name or "").strip():
        raise ValidationError({"full_name": [_("Give the applicant's full name as on the ID card.")]})
    from .services import create_citizen

    with transaction.atomic():
        account = create_citizen(
            generated_username(), full_name=full_name.strip(), personal_id=personal_id, phone=phone, email=email,
            address=address, actor=officer, registered_by=officer,
        )  # fmt: skip
        mark_verified(account, IdentityProof.DESK, officer)
    return account


def checked_passport(passport_number, nationality):
    """(number, country code) of a passport as written on it, or ValidationError by field."""
    number, country = normalise_passport(passport_number), str(nationality or "").upper()
    errors = {}
    try:
        validate_passport(number)
    except ValidationError as exc:
        errors["passport_number"] = exc.messages
    if country not in countries:
        errors["nationality"] = [_("Choose the country that issued the passport.")]
    if errors:
        raise ValidationError(errors)
    return number, country


def verified_passport(passport_number, nationality):
    """The account holding this passport verified, or None."""
    number = normalise_passport(passport_number)
    if not number or not nationality:
        return None
    return User.objects.filter(
        passport_number=number, nationality=nationality, passport_verified_at__isnull=False, is_active=True,
        kind=User.Kind.CITIZEN,
    ).first()  # fmt: skip


def foreigner_at_desk(officer, passport_number, nationality, full_name, *, passport_seen=False, **contact):
    """A foreign national at the desk, as the officer read them off their passport: the
    account holding it verified (the name must match), else a new account with the passport
    verified by this officer, who must have seen it."""
    passport_number, nationality = checked_passport(passport_number, nationality)
    account = verified_passport(passport_number, nationality)
    if account is not None:
        check_name(account, full_name, officer, "desk")
        return account
    if not passport_seen:
        raise ValidationError({"passport_seen": [_("Check the passport before a new applicant is registered.")]})
    if not (full_name or "").strip():
        raise ValidationError({"full_name": [_("Give the applicant's full name as in the passport.")]})
    from .services import create_citizen

    with transaction.atomic():
        account = create_citizen(
            generated_username(), full_name=full_name.strip(), phone=contact.get("phone", ""),
            email=contact.get("email", ""), address=contact.get("address", ""), actor=officer, registered_by=officer,
        )  # fmt: skip
        account.passport_number, account.nationality = passport_number, nationality
        account.passport_verified_at, account.passport_verified_by = timezone.now(), officer
        account.save(update_fields=["passport_number", "nationality", "passport_verified_at", "passport_verified_by"])
        record(officer, "identity.passport_verified", account)
    return account


def applicant_for_client(client_user, personal_id, full_name, **contact):
    """The person someone files for without a desk officer seeing their card: another system
    (``client_user``, its service account) or a citizen filing as a representative. The
    verified account of that number (the name must match), else the account this same filer
    opened for that number before, else a new one (its number unverified: the filer's word
    does not verify it)."""
    try:
        validate_personal_id(personal_id)
    except ValidationError as exc:
        raise ValidationError({"applicant.personal_id": exc.messages})
    account = verified_account(personal_id)
    if account is None:
        account = User.objects.filter(
            personal_id=personal_id, registered_by=client_user, kind=User.Kind.CITIZEN, is_active=True
        ).first()
    if account is not None:
        try:
            check_name(account, full_name, client_user, "api")
        except IdentityMismatch as exc:
            raise IdentityMismatch({"applicant.full_name": exc.message_dict["full_name"]})
        return account
    if not (full_name or "").strip():
        raise ValidationError({"applicant.full_name": [_("Give the applicant's full name.")]})
    from .services import create_citizen

    try:
        return create_citizen(
            generated_username(), full_name=full_name.strip()[:150], personal_id=personal_id,
            email=contact.get("email", ""), phone=contact.get("phone", ""), address=contact.get("address", "")[:300],
            actor=client_user, registered_by=client_user,
        )  # fmt: skip
    except ValidationError as exc:
        raise ValidationError({f"applicant.{k}": v for k, v in exc.message_dict.items()})


def account_for_eid(subject, personal_id, full_name, email="", phone=""):
    """The account an e-ID login enters: bound by the subject; else the account whose number
    an officer verified at the desk (bound now, when the name matches); else a new account,
    verified by the e-ID. Never an account whose number was only typed by someone."""
    account = User.objects.filter(eid_subject=subject).first()
    if account is not None:
        return account if account.is_active else None
    account = verified_account(personal_id)
    if account is not None:
        if account.eid_subject:  # verified and bound to another subject: the provider disagrees
            record(None, "identity.eid_conflict", account)
            return None
        check_name(account, full_name, None, "eid")
        account.eid_subject = subject
        account.save(update_fields=["eid_subject"])
        record(account, "identity.eid_bound", account)
        return account
    from .services import create_citizen

    with transaction.atomic():
        account = create_citizen(
            generated_username(), full_name=(full_name or "").strip()[:150], personal_id=personal_id, email=email,
            phone=phone,
        )  # fmt: skip
        account.eid_subject = subject
        account.save(update_fields=["eid_subject"])
        mark_verified(account, IdentityProof.EID)
    return account


def opened_for_someone(account):
    """An account an officer or another system opened for a person who never used it
    themselves: the kind a walk-in's dossiers sit in until they claim them."""
    return bool(account.registered_by_id and not account.eid_subject and account.is_active
                and account.kind == User.Kind.CITIZEN and account.last_login is None)  # fmt: skip


def check_same_person(opened, person):
    """Stop, audited, when ``person`` is plainly not whom ``opened`` was opened for: another
    name, or two verified numbers that differ. Called before the caller's transaction, so
    that the record stays."""
    if not same_name(opened.full_name, person.full_name):
        record(person, "identity.claim_refused", opened, after={"why": "name"})
        raise IdentityMismatch({"full_name": [_("These dossiers were filed for someone with another name.")]})
    for number, verified in (("personal_id", "personal_id_verified"), ("passport_number", "passport_verified")):
        both = getattr(opened, verified) and getattr(person, verified)
        if both and getattr(opened, number) != getattr(person, number):
            record(person, "identity.claim_refused", opened, after={"why": number})
            raise IdentityMismatch({number: [_("These dossiers were filed for a person with another ID number.")]})


@transaction.atomic
def take_over(opened, person):
    """``person`` proved they are whom ``opened`` was opened for (the receipt's code and key,
    and a code sent to the phone or e-mail given at the desk; :func:`check_same_person`
    passed): the identity checked at the desk passes to their own account and ``opened``
    is closed."""
    moved = []
    if opened.personal_id_verified and not person.personal_id_verified:
        moved += ["personal_id", "personal_id_verified_at", "personal_id_verified_via", "personal_id_verified_by"]
    if opened.passport_verified and not person.passport_verified:
        moved += ["passport_number", "nationality", "passport_verified_at", "passport_verified_by"]
    values = {field: getattr(opened, field) for field in moved}
    # The opened account lets go first: a verified number belongs to one account only.
    opened.is_active = False
    opened.personal_id_verified_at = opened.passport_verified_at = None
    opened.set_unusable_password()
    opened.save(update_fields=["is_active", "personal_id_verified_at", "passport_verified_at", "password"])
    if values:
        for field, value in values.items():
            setattr(person, field, value)
        person.save(update_fields=moved)
    record(person, "identity.claimed", opened, after={"into": person.pk, "verified": sorted(moved)})
    return person
