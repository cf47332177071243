"""What the workspace's navigation offers a person: only what their roles let them open."""

from django import template

from egov.accounts.selectors import has_role, reads_figures

register = template.Library()


@register.filter
def holds_role(user, role):
    """``{% if user|holds_role:"intake_officer" %}``: the user holds ``role`` somewhere."""
    return has_role(user, role)


@register.filter
def reads_dashboard(user):
    return reads_figures(user)
