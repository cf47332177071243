"""Reads about users and their roles, shared by pages, the API and the services."""

from egov.common.vocabulary import Role

from .models import RoleAssignment, User


def role_pairs(user):
    """{(role, agency_id)} the user holds, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_egov_role_pairs", None)
    if cached is None:
        cached = frozenset(
            RoleAssignment.objects.filter(user=user, active=True, agency__active=True).values_list("role", "agency_id")
        )
        user._egov_role_pairs = cached
    return cached


def has_role(user, role, agency_id=None):
    pairs = role_pairs(user)
    if agency_id is None:
        return any(r == role for r, _ in pairs)
    return (role, agency_id) in pairs


def agencies_where(user, *roles):
    return {agency_id for role, agency_id in role_pairs(user) if role in roles}


def reads_figures(user):
    """Who opens the operations centre's dashboard: centre managers (their units), procedure
    administrators and superusers (the province)."""
    administers = agencies_where(user, Role.CENTER_MANAGER, Role.PROCEDURE_ADMIN)
    return getattr(user, "is_superuser", False) or bool(administers)


def is_procedure_admin(user):
    return bool(getattr(user, "is_superuser", False)) or has_role(user, Role.PROCEDURE_ADMIN)


def find_citizen(personal_id):
    return User.objects.filter(personal_id=personal_id).first()


def officers_with_role(role, agency_id):
    return User.objects.filter(
        role_assignments__role=role,
        role_assignments__agency_id=agency_id,
        role_assignments__active=True,
        is_active=True,
    ).distinct()
