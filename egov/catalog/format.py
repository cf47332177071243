"""The procedure definition format, version 1 (docs/procedure-format.md).

``validate(definition)`` checks a definition against the shipped JSON Schema *and* the
semantic rules of the spec, and returns every problem as ``path: message`` — for example
``steps[2].role: unknown role 'aprover'``. ``normalise`` gives the canonical stored form:
the author's keys and values, dates as ISO strings, keys in the spec's order. Defaults are
not written into the definition; :mod:`egov.catalog.definition` applies them when reading.
"""

import datetime
import json
import re
from functools import cache
from pathlib import Path

import jsonschema
import yaml
from django.utils.translation import gettext as _

from egov.common.jsonable import jsonable
from egov.common.vocabulary import HOURS_PER_WORKING_DAY, MOVING_OUTCOMES, STEP_OUTCOMES, STEP_ROLES

from .conditions import check_rule

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "procedure-v1.json"

ROLES = STEP_ROLES
OUTCOMES = STEP_OUTCOMES

FIELD_TYPES_WITH_KEYS = {
    "section": set(),
    "text": {"max_length", "pattern"},
    "textarea": {"max_length", "pattern"},
    "integer": {"min", "max"},
    "decimal": {"min", "max"},
    "money": {"min", "max"},
    "date": {"min", "max"},
    "boolean": set(),
    "choice": {"choices"},
    "multichoice": {"choices"},
    "email": set(),
    "phone": set(),
    "personal_id": set(),
    "tax_code": set(),
    "agency": {"level"},
}
COMMON_FIELD_KEYS = {"key", "type", "label", "help", "required", "visible", "default", "prefill"}
SECTION_KEYS = {"key", "type", "label", "help", "visible"}

KEY_ORDER = [
    "format", "code", "name", "description", "sector", "level", "online_level", "applicant_types", "channels",
    "effective_from", "legal_basis", "conditions", "agencies", "time_limit", "fees", "payment", "documents", "form",
    "steps", "result",
]
NESTED_ORDER = {
    "sector": ["code", "name"],
    "legal_basis": ["number", "title", "date", "issuer"],
    "agencies": ["deciding", "receiving"],
    "deciding": ["code", "level", "from_field"],
    "time_limit": ["when", "working_days", "working_hours", "same_day", "cutoff"],
    "fees": ["code", "name", "amount", "when"],
    "documents": ["key", "name", "kind", "quantity", "required", "template", "file_types", "max_mb", "sensitive"],
    "field": [
        "key", "type", "label", "help", "required", "visible", "default", "prefill", "max_length", "pattern", "min",
        "max", "choices", "level",
    ],
    "choices": ["value", "label"],
    "steps": ["key", "name", "role", "at", "consult", "budget_hours", "outcomes", "send_back_to", "form"],
    "consult": ["agency", "role"],
    "result": ["name", "template", "electronic"],
}  # fmt: skip


class DefinitionError(ValueError):
    def __init__(self, errors):
        super().__init__("\n".join(errors))
        self.errors = errors


@cache
def schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@cache
def _validator():
    return jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker())


# --- reading files ----------------------------------------------------------------------


def load_text(text, name="<text>"):
    """Parse YAML or JSON text into plain JSON-compatible data."""
    try:
        data = json.loads(text) if name.endswith(".json") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise DefinitionError([_("not valid YAML or JSON: %(error)s") % {"error": exc}]) from exc
    return jsonable(data)


# --- validation -------------------------------------------------------------------------


def path_of(parts):
    out = ""
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top)"


def _schema_errors(definition):
    errors = []
    for error in sorted(_validator().iter_errors(definition), key=lambda e: list(map(str, e.absolute_path))):
        # For "oneOf" failures, report the alternative that came closest.
        deepest = error
        if error.context:
            deepest = jsonschema.exceptions.best_match(error.context)
        path = path_of(list(deepest.absolute_path))
        errors.append(f"{path}: {_schema_message(deepest)}")
    return errors


def _schema_message(error):
    if error.validator == "additionalProperties":
        extra = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return _("unknown key %(keys)s") % {"keys": ", ".join(repr(k) for k in extra)}
    if error.validator == "required":
        return error.message.replace("is a required property", _("is required"))
    if error.validator == "enum":
        return _("%(value)r is not one of %(allowed)s") % {
            "value": error.instance,
            "allowed": ", ".join(map(str, error.validator_value)),
        }
    return error.message


def validate(definition, known_agency_codes=None, known_templates=None):
    """Return every problem of ``definition`` as a list of ``path: message`` strings.

    ``known_agency_codes`` (a set) enables the check that referenced agencies exist;
    ``known_templates`` (a set) the check that the result template exists.
    """
    if not isinstance(definition, dict):
        return ["(top): " + _("a definition is a mapping of keys to values")]
    errors = _schema_errors(definition)
    if errors:
        # Semantic rules assume the structure is right; report structure first.
        return errors
    return _semantic_errors(definition, known_agency_codes, known_templates)


def _semantic_errors(d, known_agency_codes, known_templates):
    errors = []

    def err(path, message):
        errors.append(f"{path}: {message}")

    form = d["form"]
    field_keys = [f["key"] for f in form]
    _duplicates(field_keys, "form", err)
    _check_fields(form, "form", set(field_keys), err)
    fields_by_key = {f["key"]: f for f in form}

    def check_condition(rule, path, keys=field_keys):
        for problem in check_rule(rule, keys):
            err(path, _("invalid condition: %(problem)s") % {"problem": problem})

    # agencies
    agencies = d["agencies"]
    deciding = agencies["deciding"]
    if "code" in deciding:
        _check_agency(deciding["code"], "agencies.deciding.code", known_agency_codes, err)
    else:
        field = fields_by_key.get(deciding["from_field"])
        if field is None:
            err("agencies.deciding.from_field", _("no form field '%(key)s'") % {"key": deciding["from_field"]})
        elif field["type"] != "agency":
            err("agencies.deciding.from_field", _("field '%(key)s' is not of type agency") % {"key": field["key"]})
        elif field.get("level") and field["level"] != deciding["level"]:
            err(
                "agencies.deciding.from_field",
                _("field '%(key)s' chooses a %(field_level)s, not a %(level)s")
                % {"key": field["key"], "field_level": field["level"], "level": deciding["level"]},
            )
    receiving = agencies.get("receiving", "any")
    if isinstance(receiving, list):
        for i, code in enumerate(receiving):
            _check_agency(code, f"agencies.receiving[{i}]", known_agency_codes, err)

    # time limit
    limit = d["time_limit"]
    cases = limit if isinstance(limit, list) else [limit]
    if isinstance(limit, list):
        for i, case in enumerate(cases):
            last = i == len(cases) - 1
            if "when" in case:
                if last:
                    err(f"time_limit[{i}].when", _("the last case must have no condition (it is the default)"))
                check_condition(case["when"], f"time_limit[{i}].when")
            elif not last:
                err(f"time_limit[{i}]", _("every case but the last needs a 'when' condition"))
    limit_hours = max(_case_hours(case) for case in cases)

    # fees and payment
    fees = d.get("fees", [])
    _duplicates([f["code"] for f in fees], "fees", err, key="code")
    for i, fee in enumerate(fees):
        if "when" in fee:
            check_condition(fee["when"], f"fees[{i}].when")
    if d.get("payment") in ("before_processing", "before_result") and not fees:
        err("payment", _("payment '%(payment)s' needs at least one fee") % {"payment": d["payment"]})

    # documents
    documents = d["documents"]
    _duplicates([doc["key"] for doc in documents], "documents", err)
    for i, doc in enumerate(documents):
        if isinstance(doc.get("required"), dict):
            check_condition(doc["required"], f"documents[{i}].required")

    # steps
    steps = d["steps"]
    step_keys = [s["key"] for s in steps]
    _duplicates(step_keys, "steps", err)
    handling = [i for i, s in enumerate(steps) if "consult" not in s]
    if not handling:
        err("steps", _("at least one step must be handled by a role (not only consultations)"))
    total_budget = 0
    for i, step in enumerate(steps):
        path = f"steps[{i}]"
        total_budget += step.get("budget_hours", 0)
        if "consult" in step:
            for key in ("role", "at", "outcomes", "send_back_to", "form"):
                if key in step:
                    err(f"{path}.{key}", _("consult steps have no %(key)s") % {"key": key})
            for j, entry in enumerate(step["consult"]):
                _check_agency(entry["agency"], f"{path}.consult[{j}].agency", known_agency_codes, err)
                if "role" in entry and entry["role"] not in ROLES:
                    err(f"{path}.consult[{j}].role", _("unknown role '%(role)s'") % {"role": entry["role"]})
            agencies_consulted = [entry["agency"] for entry in step["consult"]]
            if len(set(agencies_consulted)) != len(agencies_consulted):
                err(f"{path}.consult", _("an agency is consulted twice in one step"))
            continue
        if "role" not in step:
            err(f"{path}.role", _("is required"))
        elif step["role"] not in ROLES:
            err(f"{path}.role", _("unknown role '%(role)s'") % {"role": step["role"]})
        at = step.get("at", "deciding")
        if at not in ("deciding", "receiving"):
            _check_agency(at, f"{path}.at", known_agency_codes, err, allow_keywords=True)
        outcomes = step.get("outcomes")
        if not outcomes:
            err(f"{path}.outcomes", _("is required"))
            outcomes = []
        for j, outcome in enumerate(outcomes):
            if outcome not in OUTCOMES:
                err(f"{path}.outcomes[{j}]", _("unknown outcome '%(outcome)s'") % {"outcome": outcome})
        if outcomes and not set(outcomes) & MOVING_OUTCOMES:
            err(f"{path}.outcomes", _("no outcome moves the dossier on (forward, approve, reject, issue, …)"))
        later_handling = [k for k in handling if k > i]
        if "issue" in outcomes and later_handling:
            err(f"{path}.outcomes", _("'issue' is only possible on the last step that is not a consultation"))
        if "propose_refusal" in outcomes and not later_handling:
            err(f"{path}.outcomes", _("'propose_refusal' needs a later step to decide on the proposal"))
        if "send_back_to" in step:
            if "send_back" not in outcomes:
                err(f"{path}.send_back_to", _("only meaningful with the outcome 'send_back'"))
            if step["send_back_to"] not in step_keys[:i]:
                err(f"{path}.send_back_to", _("'%(key)s' is not an earlier step") % {"key": step["send_back_to"]})
        elif "send_back" in outcomes and i == 0:
            err(f"{path}.outcomes", _("'send_back' on the first step has no previous step to go back to"))
        if "form" in step:
            step_keys_form = [f["key"] for f in step["form"]]
            _duplicates(step_keys_form, f"{path}.form", err)
            clashes = set(step_keys_form) & set(field_keys)
            for key in sorted(clashes):
                err(f"{path}.form", _("key '%(key)s' is already a field of the application form") % {"key": key})
            _check_fields(step["form"], f"{path}.form", set(field_keys) | set(step_keys_form), err)
    if total_budget > limit_hours:
        err(
            "steps",
            _("the step budgets add up to %(total)s hours, more than the time limit of %(limit)s hours")
            % {"total": _num(total_budget), "limit": _num(limit_hours)},
        )

    # result
    if known_templates is not None and d["result"]["template"] not in known_templates:
        err("result.template", _("no result template '%(slug)s'") % {"slug": d["result"]["template"]})
    return errors


def _num(value):
    return int(value) if float(value).is_integer() else value


def _case_hours(case):
    if case.get("same_day"):
        return HOURS_PER_WORKING_DAY
    if "working_days" in case:
        return case["working_days"] * HOURS_PER_WORKING_DAY
    return case["working_hours"]


def _duplicates(keys, path, err, key="key"):
    seen = set()
    for i, value in enumerate(keys):
        if value in seen:
            err(f"{path}[{i}].{key}", _("duplicate %(key)s '%(value)s'") % {"key": key, "value": value})
        seen.add(value)


def _check_agency(code, path, known, err, allow_keywords=False):
    if allow_keywords and not re.fullmatch(r"\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}", code):
        err(path, _("'%(value)s' is neither deciding, receiving nor a unit code") % {"value": code})
        return
    if known is not None and code not in known:
        err(path, _("no agency has the code '%(code)s'") % {"code": code})


def _check_fields(fields, path, keys, err):
    for i, field in enumerate(fields):
        fpath = f"{path}[{i}]"
        ftype = field["type"]
        allowed = SECTION_KEYS if ftype == "section" else COMMON_FIELD_KEYS | FIELD_TYPES_WITH_KEYS[ftype]
        for extra in sorted(set(field) - allowed):
            err(f"{fpath}.{extra}", _("not allowed for a field of type %(type)s") % {"type": ftype})
        for cond_key in ("required", "visible"):
            rule = field.get(cond_key)
            if isinstance(rule, dict):
                for problem in check_rule(rule, keys):
                    err(f"{fpath}.{cond_key}", _("invalid condition: %(problem)s") % {"problem": problem})
        if "pattern" in field:
            try:
                re.compile(field["pattern"])
            except re.error as exc:
                err(f"{fpath}.pattern", _("not a valid regular expression: %(error)s") % {"error": exc})
        if ftype in ("choice", "multichoice"):
            if "choices" not in field:
                err(f"{fpath}.choices", _("is required for a field of type %(type)s") % {"type": ftype})
            else:
                _duplicates([c["value"] for c in field["choices"]], f"{fpath}.choices", err, key="value")
        for bound in ("min", "max"):
            if bound not in field:
                continue
            value = field[bound]
            if ftype == "date":
                if value != "today" and not _is_iso_date(value):
                    err(f"{fpath}.{bound}", _("must be an ISO date or 'today'"))
            elif isinstance(value, (str, bool)):
                err(f"{fpath}.{bound}", _("must be a number"))
        numeric_bounds = not isinstance(field.get("min"), str) and not isinstance(field.get("max"), str)
        if "min" in field and "max" in field and ftype != "date" and numeric_bounds and field["min"] > field["max"]:
            err(f"{fpath}.min", _("is greater than max"))


def _is_iso_date(value):
    try:
        datetime.date.fromisoformat(value)
        return True
    except (TypeError, ValueError):
        return False


# --- normalisation and export -----------------------------------------------------------


def normalise(definition):
    """The canonical stored form: JSON-compatible, keys in the spec's order."""
    d = _ordered(jsonable(definition), KEY_ORDER)
    if isinstance(d.get("sector"), dict):
        d["sector"] = _ordered(d["sector"], NESTED_ORDER["sector"])
    if isinstance(d.get("legal_basis"), list):
        d["legal_basis"] = [_ordered(item, NESTED_ORDER["legal_basis"]) for item in d["legal_basis"]]
    if isinstance(d.get("agencies"), dict):
        d["agencies"] = _ordered(d["agencies"], NESTED_ORDER["agencies"])
        d["agencies"]["deciding"] = _ordered(d["agencies"].get("deciding"), NESTED_ORDER["deciding"])
    limit = d.get("time_limit")
    if isinstance(limit, list):
        d["time_limit"] = [_ordered(case, NESTED_ORDER["time_limit"]) for case in limit]
    elif isinstance(limit, dict):
        d["time_limit"] = _ordered(limit, NESTED_ORDER["time_limit"])
    for key in ("fees", "documents"):
        if isinstance(d.get(key), list):
            d[key] = [_ordered(item, NESTED_ORDER[key]) for item in d[key]]
    if isinstance(d.get("form"), list):
        d["form"] = _ordered_fields(d["form"])
    if isinstance(d.get("steps"), list):
        steps = []
        for step in d["steps"]:
            step = _ordered(step, NESTED_ORDER["steps"])
            if isinstance(step, dict) and isinstance(step.get("consult"), list):
                step["consult"] = [_ordered(entry, NESTED_ORDER["consult"]) for entry in step["consult"]]
            if isinstance(step, dict) and isinstance(step.get("form"), list):
                step["form"] = _ordered_fields(step["form"])
            steps.append(step)
        d["steps"] = steps
    if isinstance(d.get("result"), dict):
        d["result"] = _ordered(d["result"], NESTED_ORDER["result"])
    return d


def _ordered(value, order):
    if not isinstance(value, dict):
        return value
    return {k: value[k] for k in [*[k for k in order if k in value], *[k for k in value if k not in order]]}


def _ordered_fields(fields):
    out = []
    for field in fields:
        field = _ordered(field, NESTED_ORDER["field"])
        if isinstance(field, dict) and isinstance(field.get("choices"), list):
            field["choices"] = [_ordered(choice, NESTED_ORDER["choices"]) for choice in field["choices"]]
        out.append(field)
    return out


class _Dumper(yaml.SafeDumper):
    pass


def _str_representer(dumper, value):
    # ISO dates are written as YAML dates, so the file loads back exactly as it was written.
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and _is_iso_date(value):
        return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value)
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


def to_yaml(definition):
    return yaml.dump(
        normalise(definition), Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100, default_flow_style=False
    )
