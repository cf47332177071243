"""Conditions: JSON Logic rules over the form state.

A rule is evaluated over ``{"data": <form values>, "applicant": {...}, "channel": ...}``.
The server evaluates with ``panzi-json-logic`` (spec-compliant, tested against the
json-logic-js suite), and only the server: the e-form page asks it which fields show and
which are required as the answers change (portal ``form_state``), so a field hidden on the
page is hidden at submission too — two libraries disagreed on empty values, "" against 0,
``cat`` with null and ``max`` of nothing.
"""

from json_logic import jsonLogic
from json_logic.builtins import BUILTINS

from egov.common.vocabulary import DEFINITION_CHANNELS

# Operators with their own evaluation rules in json-logic (not in BUILTINS).
SPECIAL_OPERATORS = {"if", "?:", "and", "or", "filter", "reduce", "map", "all", "some", "none"}
# `log` writes to the console; keep it out of definitions.
KNOWN_OPERATORS = (set(BUILTINS) | SPECIAL_OPERATORS) - {"log"}
# Operators whose arguments are evaluated over each item, not over the form state.
SCOPED_OPERATORS = {"filter", "map", "reduce", "all", "some", "none"}

# ``represented``: someone files on the applicant's behalf; ``tax_code`` for an organisation,
# ``passport_number`` for a foreign national (egov/catalog/eform.applicant_context).
APPLICANT_ATTRIBUTES = {
    "type", "represented", "full_name", "personal_id", "tax_code", "passport_number", "phone", "email", "address",
    "date_of_birth", "age",
}  # fmt: skip
CHANNELS = tuple(DEFINITION_CHANNELS)


class ConditionError(ValueError):
    pass


def evaluate(rule, context):
    """Evaluate ``rule`` (a JSON Logic rule or a plain boolean) over ``context``."""
    if rule is None:
        return True
    if isinstance(rule, bool):
        return rule
    try:
        return bool(jsonLogic(rule, context))
    except (ReferenceError, TypeError, ValueError, ZeroDivisionError, AttributeError) as exc:
        raise ConditionError(str(exc)) from exc


def context_for(data=None, applicant=None, channel="online"):
    return {"data": data or {}, "applicant": applicant or {}, "channel": channel}


def check_rule(rule, field_keys):
    """List the problems of a rule: unknown operators and references to undeclared fields.

    ``field_keys`` are the keys of the form's fields; references may be ``data.<key>``
    (optionally followed by a sub-path), ``applicant.<attribute>`` or ``channel``.
    """
    problems = []
    _walk(rule, set(field_keys), problems, scoped=False)
    return problems


def _walk(node, keys, problems, scoped):
    if isinstance(node, list):
        for item in node:
            _walk(item, keys, problems, scoped)
        return
    if not isinstance(node, dict):
        return
    if len(node) != 1:
        # A JSON Logic rule has exactly one operator; other dicts are invalid here.
        problems.append(f"a rule must have exactly one operator, found {sorted(node)!r}")
        return
    op, args = next(iter(node.items()))
    if op not in KNOWN_OPERATORS:
        problems.append(f"unknown operator {op!r}")
        return
    if op == "var":
        if not scoped:
            path = args[0] if isinstance(args, list) and args else args
            problem = _check_var(path, keys)
            if problem:
                problems.append(problem)
        return
    if op in ("missing", "missing_some"):
        return
    if op in SCOPED_OPERATORS:
        items = args if isinstance(args, list) else [args]
        if items:
            _walk(items[0], keys, problems, scoped)
        for item in items[1:]:
            _walk(item, keys, problems, scoped=True)
        return
    _walk(args, keys, problems, scoped)


def _check_var(path, keys):
    if path in (None, ""):
        return "a variable needs a name (data.<field>, applicant.<attribute> or channel)"
    if not isinstance(path, str):
        return f"a variable name must be text, not {path!r}"
    head, _, rest = path.partition(".")
    if head == "channel" and not rest:
        return None
    if head == "data":
        key = rest.split(".")[0]
        if key in keys:
            return None
        return f"unknown field 'data.{key}'" if key else "a variable 'data' needs a field key"
    if head == "applicant":
        if rest in APPLICANT_ATTRIBUTES:
            return None
        return f"unknown applicant attribute '{rest}'"
    return f"unknown variable '{path}' (use data.<field>, applicant.<attribute> or channel)"
