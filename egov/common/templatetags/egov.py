"""Template filters shared by the pages: money in đồng, localized text maps."""

from django import template
from django.utils.translation import gettext_noop as N_

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


OUTCOME_LABELS = {
    "accept": N_("Accept"),
    "supplement": N_("Ask for more papers"),
    "refuse": N_("Refuse"),
    "redirect": N_("Not within our scope"),
    "forward": N_("Forward"),
    "approve": N_("Approve"),
    "send_back": N_("Send back"),
    "propose_refusal": N_("Propose a refusal"),
    "reject": N_("Reject"),
    "issue": N_("Issue the result"),
    "answer": N_("Answer"),
    "paid": N_("Paid"),
    "returned": N_("Result handed over"),
    "desk": N_("At the desk"),
    "post": N_("By post"),
    "electronic": N_("Electronically"),
}


@register.filter
def outcome_label(value):
    from django.utils.translation import gettext as _

    label = OUTCOME_LABELS.get(value)
    return _(label) if label else value
