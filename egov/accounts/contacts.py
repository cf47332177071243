"""Proving an e-mail address or a phone number with a one-time code.

An address becomes a login identifier and a notification address only once proved, and a
proved address belongs to one account (a unique index on verified values). Someone who
types another person's address therefore neither blocks that person's login nor receives
their mail. Codes are six digits, kept as a keyed digest, valid for 15 minutes, tried at
most five times; at most five are sent to one account in an hour.
"""

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.audit.services import record
from egov.common.sms import get_sms_provider

from .models import ContactProof, User
from .validators import normalise_email, normalise_phone, validate_phone

VALID_FOR = datetime.timedelta(minutes=15)
MAX_ATTEMPTS = 5
MAX_PER_HOUR = 5
FIELDS = {ContactProof.Channel.EMAIL: ("email", "email_verified_at"),
          ContactProof.Channel.PHONE: ("phone", "phone_verified_at")}  # fmt: skip


def _digest(code, proof_user_id, value):
    message = f"{proof_user_id}:{value}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def normalise(channel, value):
    if channel == ContactProof.Channel.EMAIL:
        return normalise_email(value)
    value = normalise_phone(value)
    validate_phone(value)
    return value


def send_code(user, channel, value=None):
    """Send a new code to ``value`` (the account's own address by default). Returns the proof."""
    field, _verified = FIELDS[channel]
    value = normalise(channel, value if value is not None else getattr(user, field))
    if not value:
        raise ValidationError({channel: [_("There is no address to send a code to.")]})
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    if user.contact_proofs.filter(created_at__gte=hour_ago).count() >= MAX_PER_HOUR:
        raise ValidationError({channel: [_("Too many codes were sent; try again in an hour.")]}, code="throttled")
    code = f"{secrets.randbelow(10**6):06d}"
    proof = ContactProof.objects.create(
        user=user, channel=channel, value=value, digest=_digest(code, user.pk, value),
        expires_at=timezone.now() + VALID_FOR,
    )  # fmt: skip
    record(user, "account.contact_code_sent", user, after={"channel": channel})
    # Sent once this is committed, outside any transaction (a mail server may be slow).
    transaction.on_commit(lambda: _deliver(channel, value, code, user.preferred_language), robust=True)
    return proof


def _deliver(channel, value, code, language):
    from django.utils import translation

    with translation.override(language or settings.LANGUAGE_CODE):
        text = _("Your Một Cửa code is %(code)s. It is valid for 15 minutes; do not give it to anyone.") % {
            "code": code}
        if channel == ContactProof.Channel.EMAIL:
            send_mail(_("Your Một Cửa code"), text, None, [value])
        else:
            get_sms_provider().send(value, text)


def check_code(user, channel, code):
    """The proof ``code`` answers: the latest code sent to ``user`` on ``channel``, used up.
    Raises ValidationError (expired, wrong; a wrong answer counts as an attempt)."""
    code = (code or "").strip()
    with transaction.atomic():
        waiting = user.contact_proofs.select_for_update().filter(channel=channel, used_at__isnull=True)
        proof = waiting.order_by("-pk").first()
        if proof is None or proof.expires_at < timezone.now() or proof.attempts >= MAX_ATTEMPTS:
            raise ValidationError({"code": [_("This code has expired; ask for a new one.")]}, code="expired")
        proof.attempts += 1
        right = hmac.compare_digest(proof.digest, _digest(code, user.pk, proof.value))
        if right:
            proof.used_at = timezone.now()
        proof.save(update_fields=["attempts", "used_at"])
    if not right:  # the attempt counts even though the answer is no
        record(user, "account.contact_code_failed", user, after={"channel": channel})
        raise ValidationError({"code": [_("This code is not right.")]}, code="wrong_code")
    return proof


def confirm(user, channel, code):
    """Check ``code`` against the latest code sent for ``channel``; on success the address is
    proved (and the login and messages use it). Raises ValidationError otherwise."""
    field, verified_field = FIELDS[channel]
    proof = check_code(user, channel, code)
    try:
        with transaction.atomic():
            if User.objects.filter(**{field: proof.value, f"{verified_field}__isnull": False}).exclude(
                pk=user.pk
            ).exists():
                raise IntegrityError
            setattr(user, field, proof.value)
            setattr(user, verified_field, timezone.now())
            user.save(update_fields=[field, verified_field])
    except IntegrityError:
        raise ValidationError({"code": [_("This address already belongs to another account.")]}, code="taken")
    record(user, "account.contact_proved", user, after={"channel": channel})
    return user


def account_for_address(channel, value):
    """The account a code may be sent to for a sign-in: the one that proved this address;
    else the one account opened for someone (by an officer at the desk, or another system)
    with it, not yet proved. A self-registered account proves its address after logging in
    with its password: a typed address alone never opens it."""
    field, verified = FIELDS[channel]
    proved = User.objects.filter(**{field: value, f"{verified}__isnull": False}, is_active=True).first()
    if proved is not None:
        return proved
    opened = list(User.objects.filter(**{field: value, f"{verified}__isnull": True}, registered_by__isnull=False,
                                      is_active=True)[:2])  # fmt: skip
    return opened[0] if len(opened) == 1 else None
