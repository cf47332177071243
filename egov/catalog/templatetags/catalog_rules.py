"""The editor's conditions as sentences (templates/admin/catalog/_editor_row.html)."""

import json

from django import template
from django.utils.html import format_html

from ..editor.forms import JSONRule
from ..rule_text import describe

register = template.Library()


@register.simple_tag(takes_context=True)
def rule_sentence(context, bound_field):
    """``<p class="rule-sentence">`` under a condition input: the rule in words, with the
    labels of the fields in ``rule_labels`` (the editor view puts them in the context).

    The paragraph is there even without a rule (empty, hidden by the stylesheet): the
    builder writes its live sentence into it. Text that is not JSON gets no sentence; the
    field's own error says what is wrong.
    """
    field = bound_field.field
    if not isinstance(field, JSONRule):
        return ""
    value = bound_field.value()
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.strip() else None
        except json.JSONDecodeError:
            value = None
    text = ""
    if isinstance(value, bool):
        text = describe(value)  # "always" / "never": no "Shown when" in front
    elif isinstance(value, dict):
        text = str(field.sentence) % {"rule": describe(value, context.get("rule_labels") or ())}
    return format_html('<p class="rule-sentence" id="{}-sentence" aria-live="polite">{}</p>', bound_field.auto_id, text)
