"""Template filters shared by the pages: money in đồng, localized text maps."""

from django import template
from django.utils.translation import gettext_lazy

from egov.common.text import localize
from egov.common.vocabulary import Outcome

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


@register.filter
def duration(delta):
    """A timedelta as '2 d 4 h' or '3 h 20 min' (office-hour budgets are short)."""
    from django.utils.translation import gettext as _

    if delta is None:
        return ""
    minutes = max(int(delta.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("%(d)d d %(h)d h") % {"d": days, "h": hours}
    return _("%(h)d h %(m)d min") % {"h": hours, "m": mins}


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


# How a result was handed over (the return task's ``how``): words of the desk, not of the format.
RETURN_METHOD_LABELS = {
    "desk": gettext_lazy("At the desk"), "post": gettext_lazy("By post"), "electronic": gettext_lazy("Electronically"),
}  # fmt: skip


@register.filter
def outcome_label(value):

    if value in Outcome.values:
        return Outcome(value).label
    return RETURN_METHOD_LABELS.get(value, value)
