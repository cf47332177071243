"""Template filters shared by the pages: money in đồng, localized text maps."""

from django import template

from egov.common.text import localize

register = template.Library()


@register.filter
def vnd(amount):
    """200000 → '200.000 đ' (Vietnamese thousands separator)."""
    try:
        return f"{int(amount):,}".replace(",", ".") + " đ"
    except (TypeError, ValueError):
        return ""


@register.filter
def text(value):
    """A text of the procedure format (a string or {vi, en}) in the current language."""
    return localize(value)
