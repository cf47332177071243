"""Writes to accounts: creating citizens and staff, granting roles, issuing tokens."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from egov.agencies.models import Agency
from egov.audit.services import record
from egov.common.vocabulary import Role

from .models import RoleAssignment, User


@transaction.atomic
def create_citizen(
    username,
    *,
    full_name,
    personal_id="",
    email="",
    phone="",
    address="",
    date_of_birth=None,
    password=None,
    actor=None,
    registered_by=None,
):
    """Create a citizen account; raises ValidationError with field messages on bad input.

    The personal ID number, e-mail and phone are stored as given and unverified: anyone may
    type them (egov/accounts/identity.py, contacts.py prove them)."""
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": [_("A user with that username already exists.")]})
    user = User(
        username=username,
        kind=User.Kind.CITIZEN,
        full_name=full_name,
        personal_id=personal_id or "",
        email=email or "",
        phone=phone or "",
        address=address or "",
        date_of_birth=date_of_birth,
        registered_by=registered_by,
    )
    user.full_clean(exclude=["password"])
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    # The record names the account by its key; names are shown at display time.
    record(actor, "account.citizen_created", user)
    return user


@transaction.atomic
def grant_role(username, role, agency_code, actor=None, full_name=""):
    """Give a staff user ``role`` at the agency; creates the user (no usable password) if missing."""
    if role not in Role.values:
        raise ValidationError(
            {
                "role": [
                    _("unknown role '%(role)s'; one of: %(roles)s") % {"role": role, "roles": ", ".join(Role.values)}
                ]
            }
        )
    agency = Agency.objects.filter(code=agency_code).first()
    if agency is None:
        raise ValidationError({"agency": [_("no agency has the code '%(code)s'") % {"code": agency_code}]})
    user = User.objects.filter(username__iexact=username).first()
    created = user is None
    if created:
        user = User(username=username, kind=User.Kind.STAFF, full_name=full_name or username)
        user.set_unusable_password()
        user.save()
    elif user.kind == User.Kind.CITIZEN:
        user.kind = User.Kind.STAFF
        user.save(update_fields=["kind"])
    assignment, new = RoleAssignment.objects.get_or_create(user=user, role=role, agency=agency)
    if not new and not assignment.active:
        assignment.active = True
        assignment.save(update_fields=["active"])
    if new:
        record(actor, "account.role_granted", user, after={"role": role, "agency": agency_code})
    return assignment, created


def issue_token(user, **options):
    """A new personal API token for ``user`` (egov/accounts/tokens.py: hashed, expiring,
    after a second-factor proof where one is needed)."""
    from .tokens import mint

    return mint(user, **options)
