"""Conditions in words: a JSON Logic rule as the sentence an administrator reads.

The procedure editor shows every condition back as a sentence built from the form's own
field and choice labels ("Filed by is An authorised person"), so that nobody has to read
JSON Logic to know when a field shows or a fee is charged. ``describe`` covers what the
editor's rule builder (static/js/rule-builder.js) writes — comparisons, "is one of",
"includes", "is filled in" / "is empty", AND / OR groups — and a little more (reversed
comparisons, "between", nested groups); anything else reads "custom rule (JSON Logic)".

The builder makes its own sentences for live edits from the same phrases (``phrases()``,
rendered into the editor page as data attributes), so both sides say the same words and the
translators see each phrase once.
"""

from contextlib import nullcontext

from django.utils import translation
from django.utils.translation import gettext as _

from egov.common.vocabulary import DEFINITION_CHANNELS, ApplicantType

from .conditions import APPLICANT_ATTRIBUTES
from .definition import Field

COMPARISONS = {"==", "!=", ">", ">=", "<", "<="}
# A comparison written value-first reads the other way round: 1 < x is x > 1.
FLIPPED = {"==": "==", "!=": "!=", ">": "<", ">=": "<=", "<": ">", "<=": ">="}
# Comparison → phrase key, for numbers and text, and for dates ("after" reads better than "more than").
PHRASE_OF = {"==": "eq", "!=": "ne", ">": "gt", ">=": "ge", "<": "lt", "<=": "le"}
DATE_PHRASE_OF = {**PHRASE_OF, ">": "after", ">=": "from", "<": "before", "<=": "until"}
NUMBER_TYPES = {"integer", "decimal", "money"}


def phrases():
    """Every phrase of a sentence, translated into the active language.

    The keys are what the browser's builder uses too (the editor renders them as
    ``data-<key>`` attributes); ``%(field)s`` and ``%(value)s`` are filled in on both sides.
    """
    return {
        "eq": _("%(field)s is %(value)s"),
        "ne": _("%(field)s is not %(value)s"),
        "gt": _("%(field)s is more than %(value)s"),
        "ge": _("%(field)s is at least %(value)s"),
        "lt": _("%(field)s is less than %(value)s"),
        "le": _("%(field)s is at most %(value)s"),
        "after": _("%(field)s is after %(value)s"),
        "from": _("%(field)s is on or after %(value)s"),
        "before": _("%(field)s is before %(value)s"),
        "until": _("%(field)s is on or before %(value)s"),
        "between": _("%(field)s is between %(low)s and %(high)s"),
        "oneof": _("%(field)s is one of %(value)s"),
        "includes": _("%(field)s includes %(value)s"),
        "contains": _("%(field)s contains %(value)s"),
        "filled": _("%(field)s is filled in"),
        "empty": _("%(field)s is empty"),
        "ticked": _("%(field)s is ticked"),
        "unticked": _("%(field)s is not ticked"),
        "and": _("%(first)s and %(second)s"),
        "or": _("%(first)s or %(second)s"),
        "allof": _("all of: %(rules)s"),
        "anyof": _("any of: %(rules)s"),
        "not": _("not (%(rule)s)"),
        "custom": _("custom rule (JSON Logic)"),
        "always": _("always"),
        "never": _("never"),
        "yes": _("yes"),
        "no": _("no"),
    }


def applicant_labels():
    """What ``applicant.<attribute>`` is called in a sentence."""
    return {
        "type": _("Applicant type"),
        "represented": _("Filed by a representative"),
        "full_name": _("Applicant's full name"),
        "tax_code": _("Applicant's tax code"),
        "passport_number": _("Applicant's passport number"),
        "personal_id": _("Applicant's personal ID number"),
        "phone": _("Applicant's phone number"),
        "email": _("Applicant's e-mail address"),
        "address": _("Applicant's address"),
        "date_of_birth": _("Applicant's date of birth"),
        "age": _("Applicant's age"),
    }


def applicant_types():
    return [(str(kind.value), str(kind.label)) for kind in ApplicantType]


def channels():
    return [(str(channel.value), str(channel.label)) for channel in DEFINITION_CHANNELS]


class _Subject:
    """What a ``var`` refers to: its label, its type (for the verbs) and its choices' labels."""

    def __init__(self, label, type_="text", choices=()):
        self.label, self.type, self.choices = label, type_, dict(choices)

    def value_text(self, value, words):
        if isinstance(value, bool):
            return words["yes"] if value else words["no"]
        if value in self.choices:
            return self.choices[value]
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, int | float):
            return str(value)
        if self.type in NUMBER_TYPES or self.type == "date" or self.choices:
            return str(value)  # a date, or a choice the field no longer has: shown as written
        return f"“{value}”"  # free text: quoted, so that it reads as what was typed


def _fields_by_key(spec_or_fields):
    """key → Field, from a ProcedureDefinition, a definition dict or a list of fields (dicts
    or Fields). The steps' own fields are included: their rules may refer to them."""
    if spec_or_fields is None:
        return {}
    if hasattr(spec_or_fields, "steps") and hasattr(spec_or_fields, "fields"):  # a ProcedureDefinition
        fields = [*spec_or_fields.fields, *(f for step in spec_or_fields.steps for f in step.form)]
    elif isinstance(spec_or_fields, dict):  # a definition as stored
        fields = [*spec_or_fields.get("form", []),
                  *(f for step in spec_or_fields.get("steps", []) for f in step.get("form", []))]  # fmt: skip
    else:
        fields = list(spec_or_fields)
    by_key = {}
    for field in fields:
        field = field if isinstance(field, Field) else Field(field)
        by_key.setdefault(field.key, field)  # keys of the form come first, then the steps'
    return by_key


def _subject(path, fields):
    """The subject of ``{"var": path}``, or None when the path is not text."""
    if not isinstance(path, str) or not path:
        return None
    head, _sep, rest = path.partition(".")
    if head == "data" and rest:
        key, _sep, sub = rest.partition(".")
        field = fields.get(key)
        if field is None:
            return _Subject(rest)
        label = field.label() or key
        if sub:
            return _Subject(f"{label} ({sub})")
        return _Subject(label, field.type, field.choices())
    if head == "applicant" and rest in APPLICANT_ATTRIBUTES:
        label = applicant_labels()[rest]
        if rest == "type":
            return _Subject(label, "choice", applicant_types())
        return _Subject(label, {"date_of_birth": "date", "age": "integer", "represented": "boolean"}.get(rest, "text"))
    if path == "channel":
        return _Subject(_("Channel"), "choice", channels())
    return _Subject(path)


def _var_path(node):
    """The path of a plain ``{"var": "path"}`` (or ``{"var": ["path"]}``), else None.

    A var with a default (``{"var": ["path", 0]}``) is not plain: its sentence would hide
    the default, so it reads as a custom rule.
    """
    if not isinstance(node, dict) or len(node) != 1 or "var" not in node:
        return None
    path = node["var"]
    if isinstance(path, list):
        path = path[0] if len(path) == 1 else None
    return path if isinstance(path, str) and path else None


def _single(args):
    """The argument of a one-argument operator: ``{"!": x}`` or ``{"!": [x]}``."""
    if isinstance(args, list):
        return args[0] if len(args) == 1 else _NOT_ONE
    return args


_NOT_ONE = object()


def _is_scalar(value):
    return value is None or isinstance(value, str | int | float | bool)


def describe(rule, spec_or_fields=(), language=None):
    """The sentence for ``rule``, with the labels of ``spec_or_fields`` (a
    ProcedureDefinition, a definition dict, or a list of fields), in ``language`` (default:
    the active language). ``None`` (no rule) gives an empty string."""
    if rule is None:
        return ""
    with translation.override(language) if language else nullcontext():
        return _Describer(_fields_by_key(spec_or_fields), phrases()).rule(rule)


class _Describer:
    def __init__(self, fields, words):
        self.fields, self.words = fields, words

    def rule(self, node):
        w = self.words
        if isinstance(node, bool):
            return w["always"] if node else w["never"]
        if not isinstance(node, dict) or len(node) != 1:
            return w["custom"]
        op, args = next(iter(node.items()))
        if op in ("and", "or"):
            return self.group(op, args)
        text = None
        if op == "var":
            text = self.truthiness(node, True)
        elif op in ("!", "!!"):
            text = self.negation(op, _single(args))
        elif op in COMPARISONS:
            text = self.comparison(op, args)
        elif op == "in":
            text = self.membership(args)
        return w["custom"] if text is None else text

    def group(self, op, items):
        w = self.words
        if not isinstance(items, list) or not items:
            return w["custom"]
        if len(items) == 1:
            return self.rule(items[0])
        is_group = [isinstance(i, dict) and len(i) == 1 and next(iter(i)) in ("and", "or") for i in items]
        if len(items) == 2 and not any(is_group):
            # Two conditions read as one sentence: "A and B", "A or B".
            return w[op] % {"first": self.rule(items[0]), "second": self.rule(items[1])}
        # More, or groups inside: "all of: A; B; (any of: C; D)".
        parts = [f"({self.rule(i)})" if g else self.rule(i) for i, g in zip(items, is_group, strict=True)]
        return w["allof" if op == "and" else "anyof"] % {"rules": "; ".join(parts)}

    def truthiness(self, var, truthy):
        subject = _subject(_var_path(var), self.fields)
        if subject is None:
            return None
        # A checkbox is ticked or not; anything else is filled in or empty.
        verbs = ("ticked", "unticked") if subject.type == "boolean" else ("filled", "empty")
        return self.words[verbs[0] if truthy else verbs[1]] % {"field": subject.label}

    def negation(self, op, inner):
        if inner is _NOT_ONE:
            return None
        if _var_path(inner) is not None:
            return self.truthiness(inner, op == "!!")
        if op == "!!":  # "is true" of a rule is the rule itself
            return self.rule(inner)
        return self.words["not"] % {"rule": self.rule(inner)}

    def comparison(self, op, args):
        if not isinstance(args, list):
            return None
        if len(args) == 3 and op == "<=":  # JSON Logic's "between": low <= x <= high
            return self.between(args)
        if len(args) != 2:
            return None
        left, right = args
        if _var_path(left) is None and _var_path(right) is not None:
            op, left, right = FLIPPED[op], right, left
        subject = _subject(_var_path(left), self.fields)
        if subject is None:
            return None
        if right is None and op in ("==", "!="):  # "x == null" is "x is empty"
            return self.words["empty" if op == "==" else "filled"] % {"field": subject.label}
        if subject.type == "boolean" and isinstance(right, bool) and op in ("==", "!="):
            return self.words["ticked" if right == (op == "==") else "unticked"] % {"field": subject.label}
        value = self.value(right, subject)
        if value is None:
            return None
        key = (DATE_PHRASE_OF if subject.type == "date" else PHRASE_OF)[op]
        return self.words[key] % {"field": subject.label, "value": value}

    def between(self, args):
        low, middle, high = args
        subject = _subject(_var_path(middle), self.fields)
        if subject is None or not (_is_scalar(low) and _is_scalar(high)):
            return None
        return self.words["between"] % {"field": subject.label, "low": subject.value_text(low, self.words),
                                        "high": subject.value_text(high, self.words)}  # fmt: skip

    def membership(self, args):
        if not isinstance(args, list) or len(args) != 2:
            return None
        needle, haystack = args
        if _var_path(needle) is not None and isinstance(haystack, list) and haystack and all(map(_is_scalar, haystack)):
            # {"in": [{"var": x}, ["a", "b"]]}: the answer is one of these values.
            subject = _subject(_var_path(needle), self.fields)
            values = " / ".join(subject.value_text(v, self.words) for v in haystack)  # labels may hold commas
            return self.words["oneof"] % {"field": subject.label, "value": values}
        if _var_path(haystack) is not None and _is_scalar(needle):
            # {"in": ["a", {"var": x}]}: a list answer has this value (or a text contains it).
            subject = _subject(_var_path(haystack), self.fields)
            key = "contains" if subject.type in ("text", "textarea") else "includes"
            return self.words[key] % {"field": subject.label, "value": subject.value_text(needle, self.words)}
        return None

    def value(self, node, subject):
        """The words for the right-hand side: a value, or another field."""
        if _is_scalar(node):
            return subject.value_text(node, self.words)
        other = _subject(_var_path(node), self.fields)
        return other.label if other is not None else None


def builder_subjects(form, step_forms=None, language=None):
    """What the editor's rule builder offers to test, as JSON for the page: the form's input
    fields (key, ``var`` path, label, type, choices), the steps' own fields (with their
    ``step``), then the applicant's type and the channel."""
    with translation.override(language) if language else nullcontext():
        subjects = []
        sources = [("", form), *((step, fields) for step, fields in (step_forms or {}).items())]
        for step, fields in sources:
            for raw in fields:
                field = Field(raw)
                if field.is_section:
                    continue
                subjects.append({
                    "key": field.key, "var": f"data.{field.key}", "label": field.label() or field.key,
                    "type": field.type, "step": step,
                    "choices": [{"value": value, "label": label} for value, label in field.choices()],
                })  # fmt: skip
        for var, label, choices in (("applicant.type", applicant_labels()["type"], applicant_types()),
                                    ("channel", _("Channel"), channels())):  # fmt: skip
            subjects.append({"key": var, "var": var, "label": str(label), "type": "choice", "step": "",
                             "choices": [{"value": v, "label": str(lab)} for v, lab in choices]})  # fmt: skip
        subjects.append({"key": "applicant.represented", "var": "applicant.represented", "step": "", "choices": [],
                         "label": str(applicant_labels()["represented"]), "type": "boolean"})  # fmt: skip
        return subjects
