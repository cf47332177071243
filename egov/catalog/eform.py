"""The e-form: which fields are visible and required for a form state, and cleaning data.

The browser shows and hides fields with the same JSON Logic rules (static/js/eform.js);
the server decides. A hidden field is not validated and its value is dropped.
"""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.validators import normalise_phone, validate_personal_id, validate_phone, validate_tax_code
from egov.agencies.selectors import active_agency

from .conditions import context_for, evaluate
from .definition import INPUT_TYPES

# Enough rounds for chains of conditions (a field whose visibility depends on a field that
# is itself conditional); each round drops the values of fields found hidden.
MAX_ROUNDS = 10


def applicant_context(user=None, applicant_type="individual", organization=None, represented=False):
    """The ``applicant`` part of a condition context: the applicant of record.

    For an organisation that is the organisation (its name, tax code, head office), with its
    legal representative's name; for a person, their account. ``represented`` is true when
    someone files on the applicant's behalf (the rules ask for the authorisation paper).
    """
    context = {"type": str(applicant_type), "represented": bool(represented)}
    if organization is not None:
        return {
            **context,
            "full_name": organization.name, "tax_code": organization.tax_code, "address": organization.address,
            "phone": organization.phone, "email": organization.email, "personal_id": "",
            "legal_representative": getattr(user, "full_name", "") or "", "date_of_birth": None, "age": None,
        }  # fmt: skip
    if user is None:
        return context
    dob = getattr(user, "date_of_birth", None)
    age = None
    if dob:
        today = timezone.localdate()
        age = today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))
    return {
        **context,
        "full_name": getattr(user, "full_name", "") or "",
        "personal_id": getattr(user, "personal_id", "") or "",
        "passport_number": getattr(user, "passport_number", "") or "",
        "phone": getattr(user, "phone", "") or "",
        "email": getattr(user, "email", "") or "",
        "address": getattr(user, "address", "") or "",
        "date_of_birth": dob.isoformat() if dob else None,
        "age": age,
    }


def prefill(definition, ctx):
    """Initial form values from the applicant of record (``prefill: applicant.…``), given as
    the condition context's ``applicant`` part (:func:`applicant_context`)."""
    values = {}
    for f in definition.input_fields:
        source = f.get("prefill")
        if source and ctx.get(source.split(".", 1)[1]):
            values[f.key] = ctx[source.split(".", 1)[1]]
        elif f.get("default") is not None:
            values[f.key] = f.get("default")
    return values


def field_states(definition, data, applicant=None, channel="online", fields=None):
    """{key: (visible, required)} for every field, after hidden values are dropped."""
    fields = fields if fields is not None else definition.fields
    data = dict(data or {})
    for _round in range(MAX_ROUNDS):
        ctx = context_for(data, applicant, channel)
        states, section_visible = {}, True
        for f in fields:
            if f.is_section:
                section_visible = evaluate(f.visible, ctx)
                states[f.key] = (section_visible, False)
                continue
            visible = section_visible and evaluate(f.visible, ctx)
            required = visible and evaluate(f.required, ctx)
            states[f.key] = (visible, required)
        hidden_with_values = [k for k, (visible, _) in states.items() if not visible and k in data]
        if not hidden_with_values:
            return states
        for key in hidden_with_values:
            data.pop(key)
    return states


def required_documents(definition, data, applicant=None, channel="online"):
    """Keys of the documents required for this form state."""
    ctx = context_for(data, applicant, channel)
    return [doc.key for doc in definition.documents if evaluate(doc.required, ctx)]


def clean(definition, data, applicant=None, channel="online", partial=False, fields=None):
    """Validate and coerce form ``data``; return ``(cleaned, errors)``.

    ``partial`` (a draft being saved) checks the values given but not what is missing.
    ``fields`` validates another list of fields (a step's own form) instead of the e-form.
    Unknown keys are errors; hidden fields are dropped without being validated.
    """
    fields = fields if fields is not None else definition.fields
    data = data or {}
    errors = {}
    if not isinstance(data, dict):
        return {}, {"data": [_("Form data must be an object of field values.")]}
    known = {f.key for f in fields if not f.is_section}
    for key in data:
        if key not in known:
            errors.setdefault(key, []).append(_("Unknown field."))
    coerced = {}
    for f in fields:
        if f.is_section or f.key not in data:
            continue
        value = data[f.key]
        if _is_empty(value):
            continue
        try:
            coerced[f.key] = coerce(f, value)
        except ValidationError as exc:
            errors.setdefault(f.key, []).extend(exc.messages)
    states = field_states(definition, coerced, applicant, channel, fields=fields)
    cleaned = {}
    for f in fields:
        if f.is_section:
            continue
        visible, required = states[f.key]
        if not visible:
            errors.pop(f.key, None)
            continue
        if f.key in coerced:
            cleaned[f.key] = coerced[f.key]
        elif required and not partial and f.key not in errors:
            errors.setdefault(f.key, []).append(_("This field is required."))
    return cleaned, errors


# Text fields without a max_length of their own are still bounded (the documents print them).
DEFAULT_MAX_LENGTH = {"text": 1000, "textarea": 10000}


def _is_empty(value):
    return value is None or value == "" or value == []


def coerce(f, value):
    """Turn a submitted value into the field's type, or raise ValidationError."""
    kind = f.type
    if kind not in INPUT_TYPES:
        raise ValidationError(_("Unknown field type."))
    if isinstance(value, str) and "\x00" in value:
        raise ValidationError(_("The text holds a character that is not allowed (NUL)."))
    if kind in ("text", "textarea"):
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise ValidationError(_("Enter text."))
        value = str(value).strip()
        limit = f.get("max_length") or DEFAULT_MAX_LENGTH[kind]
        if len(value) > limit:
            raise ValidationError(_("At most %(n)d characters (it has %(count)d).") % {"n": limit, "count": len(value)})
        if f.get("pattern") and not re.fullmatch(f.get("pattern"), value):
            raise ValidationError(_("The value does not have the expected form."))
        return value
    if kind in ("integer", "money"):
        number = _number(value)
        if number != int(number):
            raise ValidationError(_("Enter a whole number."))
        return _bounded(f, int(number))
    if kind == "decimal":
        number = _number(value)
        return _bounded(f, int(number) if number == int(number) else float(number))
    if kind == "date":
        return _date(f, value)
    if kind == "boolean":
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "on", "1", "yes"):
            return True
        if isinstance(value, str) and value.lower() in ("false", "off", "0", "no"):
            return False
        raise ValidationError(_("Choose yes or no."))
    if kind == "choice":
        return _choice(f, value)
    if kind == "multichoice":
        values = value if isinstance(value, list) else [value]
        chosen = [_choice(f, v) for v in values]
        return [v for v, _label in f.choices() if v in chosen]
    if kind == "email":
        value = str(value).strip()
        EmailValidator(message=_("Enter a valid e-mail address."))(value)
        return value
    if kind == "phone":
        validate_phone(str(value))
        return normalise_phone(str(value))
    if kind == "personal_id":
        value = str(value).strip()
        validate_personal_id(value)
        return value
    if kind == "tax_code":
        value = str(value).strip()
        validate_tax_code(value)
        return value
    if kind == "agency":
        code = str(value).strip()
        agency = active_agency(code)
        if agency is None or (f.get("level") and agency.level != f.get("level")):
            raise ValidationError(_("Choose an agency from the list."))
        return code
    raise ValidationError(_("Unknown field type."))


# A number as people write it: up to 18 digits, a decimal part of up to 6 (a point or a
# comma), or the Vietnamese thousands form 1.000.000. Nothing else (no exponent: converting
# "1e200000" costs seconds of CPU) and nothing longer is even looked at.
NUMBER_RE = re.compile(r"-?\d{1,18}(?:[.,]\d{1,6})?")
THOUSANDS_RE = re.compile(r"-?\d{1,3}(?:\.\d{3}){1,5}")
MAX_NUMBER_TEXT = 30


def _number(value):
    if isinstance(value, bool):
        raise ValidationError(_("Enter a number."))
    text = (value if isinstance(value, str) else str(value) if isinstance(value, int | float) else "").strip()
    text = text.replace(" ", "")[: MAX_NUMBER_TEXT + 1]
    if isinstance(value, float) and text.endswith(".0"):
        text = text[:-2]  # 5.0 sent as JSON is the number 5
    if THOUSANDS_RE.fullmatch(text):
        text = text.replace(".", "")
    if len(text) > MAX_NUMBER_TEXT or not NUMBER_RE.fullmatch(text):
        raise ValidationError(_("Enter a number, e.g. 1500000 or 2,5."))
    try:
        return Decimal(text.replace(",", "."))
    except InvalidOperation:
        raise ValidationError(_("Enter a number, e.g. 1500000 or 2,5."))


def _bounded(f, number):
    if f.get("min") is not None and number < f.get("min"):
        raise ValidationError(_("Must be at least %(min)s.") % {"min": f.get("min")})
    if f.get("max") is not None and number > f.get("max"):
        raise ValidationError(_("Must be at most %(max)s.") % {"max": f.get("max")})
    return number


def _date_bound(value):
    return timezone.localdate() if value == "today" else datetime.date.fromisoformat(value)


def _date(f, value):
    try:
        day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(_("Enter a date as YYYY-MM-DD."))
    if f.get("min") and day < _date_bound(f.get("min")):
        raise ValidationError(_("The date must be on or after %(date)s.") % {"date": _date_bound(f.get("min"))})
    if f.get("max") and day > _date_bound(f.get("max")):
        raise ValidationError(_("The date must be on or before %(date)s.") % {"date": _date_bound(f.get("max"))})
    return day.isoformat()


def _choice(f, value):
    for choice_value, _label in f.choices():
        if value == choice_value or str(value) == str(choice_value):
            return choice_value
    raise ValidationError(_("Choose one of the options."))
