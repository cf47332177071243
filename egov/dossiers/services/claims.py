"""A walk-in claims their dossiers into their own account.

At the desk, an applicant without an account gets one opened for them
(egov/accounts/identity.applicant_at_desk), with the phone or e-mail they gave. Later,
signed in to an account of their own, they claim those dossiers: the dossier code and the
lookup key from the receipt name the dossier, and a one-time code sent to the phone or
e-mail given at the desk proves they are the person it was filed for. Then every dossier
of that opened account moves to theirs, the identity the officer checked with them, and the
opened account is closed (egov/accounts/identity.take_over). Each step is audited.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from egov.accounts import contacts, identity
from egov.accounts.models import ContactProof, Organization
from egov.common.errors import InvalidInput, NotFound

from ..models import Dossier, search_text_of
from ..selectors import tracked
from .common import log


def claimable(user, code, key):
    """The dossier the receipt names, when it sits in an account opened for someone else at
    a desk (or by another system) that ``user`` may claim; else NotFound, which says nothing
    of whether the dossier exists."""
    dossier = tracked(code, key)
    if dossier is None or dossier.applicant_id == user.pk or not identity.opened_for_someone(dossier.applicant):
        raise NotFound(_("No dossier filed at a desk matches this code and key, or it is in an account already."))
    return dossier


def channels_of(account):
    """Where a code can go: the phone and e-mail given at the desk, masked for the page."""
    found = []
    if account.phone:
        found.append((ContactProof.Channel.PHONE, f"{account.phone[:3]}•••••{account.phone[-2:]}"))
    if account.email:
        name, _at, domain = account.email.partition("@")
        found.append((ContactProof.Channel.EMAIL, f"{name[:1]}•••@{domain}"))
    return found


def send_claim_code(user, dossier, channel):
    """Send a code to the phone or e-mail the applicant gave at the desk."""
    opened = dossier.applicant
    if channel not in dict(channels_of(opened)):
        raise InvalidInput(errors={"channel": [_("No phone or e-mail was given at the desk for this channel.")]})
    try:
        contacts.send_code(opened, channel)
    except ValidationError as exc:
        raise InvalidInput(errors=exc.message_dict, code=getattr(exc, "code", None) or "invalid")


def claim(user, dossier, channel, code):
    """Move every dossier of the opened account into ``user``'s, once the code is right."""
    opened = dossier.applicant
    try:
        contacts.check_code(opened, channel, code)
    except ValidationError as exc:
        raise InvalidInput(errors=exc.message_dict)
    try:
        identity.check_same_person(opened, user)
    except ValidationError as exc:
        raise InvalidInput(errors=exc.message_dict, code="identity_mismatch")
    with transaction.atomic():
        identity.take_over(opened, user)
        mine = Dossier.objects.filter(applicant=opened).select_related("organization")
        moved = list(mine.select_for_update(of=("self",)))
        for item in moved:
            item.applicant = user
            item.save(update_fields=["applicant", "updated_at"])
            if item.code:
                item.write_search_text(search_text_of(item.code, item.searched_names()))
            log(user, "dossier.claimed", item)
        Dossier.objects.filter(representative=opened).update(representative=user)
        Organization.objects.filter(legal_representative=opened).update(legal_representative=user)
    return moved
