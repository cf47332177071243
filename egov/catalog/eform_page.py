"""The e-form on a page: fields described for the template, and posted values read back.

Which fields show and which are required is the server's to say, here and as the page's
answers change (portal ``form_state``): the browser evaluates no rule of its own.
"""

from egov.agencies.models import Agency

from . import eform

INPUT_KINDS = {
    "text": "text", "email": "email", "phone": "tel", "personal_id": "text", "tax_code": "text",
    "integer": "number", "decimal": "number", "money": "number", "date": "date",
}  # fmt: skip



def field_rows(spec, values, errors=None, fields=None, applicant=None, channel="online"):
    """One dict per field, in order, with what the template needs to render it."""
    errors = errors or {}
    fields = fields if fields is not None else spec.fields
    states = eform.field_states(spec, values, applicant, channel, fields=fields)
    agencies_by_level = {}
    rows = []
    for field in fields:
        visible, required = states.get(field.key, (True, False))
        row = {
            "key": field.key, "type": field.type, "label": field.label(), "help": field.help(),
            "visible": visible, "required": required, "errors": errors.get(f"data.{field.key}", []),
            "value": values.get(field.key, ""), "input": INPUT_KINDS.get(field.type, field.type),
            "max_length": field.get("max_length"), "pattern": field.get("pattern"),
            "min": field.get("min"), "max": field.get("max"),
        }  # fmt: skip
        if field.type in ("choice", "multichoice"):
            chosen = values.get(field.key) or []
            chosen = chosen if isinstance(chosen, list) else [chosen]
            row["choices"] = [{"value": v, "label": label, "checked": v in chosen} for v, label in field.choices()]
        if field.type == "agency":
            level = field.get("level") or "commune"
            if level not in agencies_by_level:
                agencies_by_level[level] = list(
                    Agency.objects.filter(active=True, level=level).order_by("name").values_list("code", "name")
                )
            row["choices"] = [{"value": code, "label": name, "checked": code == values.get(field.key)}
                              for code, name in agencies_by_level[level]]  # fmt: skip
        if field.type == "date" and "today" in (row["min"], row["max"]):
            from django.utils import timezone

            today = timezone.localdate().isoformat()
            row["min"] = today if row["min"] == "today" else row["min"]
            row["max"] = today if row["max"] == "today" else row["max"]
        rows.append(row)
    return rows


def posted_values(fields, post):
    """The form values in a POST, as the services expect them (None clears a field)."""
    values = {}
    for field in fields:
        if field.is_section:
            continue
        if field.type == "boolean":
            values[field.key] = post.get(field.key) in ("on", "true", "1")
        elif field.type == "multichoice":
            values[field.key] = post.getlist(field.key) or None
        else:
            raw = post.get(field.key, "").strip()
            values[field.key] = raw if raw != "" else None
    return values
