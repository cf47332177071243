"""The structured editor's forms, and the two conversions: definition → forms, forms → definition.

Each part of a definition has its own form or formset (general facts, time-limit cases,
legal basis, fees, documents, form fields, steps, the steps' own fields). Conditions (JSON
Logic) are small JSON inputs next to the thing they govern; nothing is edited as one raw
JSON document. Rows keep the order the administrator gives them (the ``ORDER`` column).
"""

import json
import re

from django import forms
from django.utils.translation import gettext_lazy as _

from egov.common.vocabulary import DEFINITION_CHANNELS, SAME_DAY_CUTOFF, ApplicantType, Role

from ..definition import DEFAULT_FILE_TYPES, INPUT_TYPES
from ..format import OUTCOMES, ROLES

LEVELS = [("province", _("Province")), ("commune", _("Commune")), ("central", _("Central"))]
DECIDING_LEVELS = [("commune", _("Commune")), ("department", _("Department")), ("province", _("Province"))]
ONLINE = [("full", _("Fully online")), ("partial", _("Partly online"))]
CHANNELS = [(channel.value, channel.label) for channel in DEFINITION_CHANNELS]
PAYMENT = [("", _("Default (before the result when there is a fee)")), ("before_processing", _("Before processing")),
           ("before_result", _("Before the result")), ("none", _("None"))]  # fmt: skip
KINDS = [("original", _("Original")), ("certified_copy", _("Certified copy")), ("copy", _("Copy"))]
REQUIRED = [("yes", _("Required")), ("no", _("Optional")), ("when", _("Required when…"))]
TYPE_LABELS = {
    "section": _("Section heading"), "text": _("Text"), "textarea": _("Long text"), "integer": _("Whole number"),
    "decimal": _("Decimal number"), "money": _("Amount of money"), "date": _("Date"), "boolean": _("Yes / no"),
    "choice": _("One choice"), "multichoice": _("Several choices"), "email": _("E-mail address"),
    "phone": _("Phone number"), "personal_id": _("Personal ID number"), "tax_code": _("Tax code"),
    "agency": _("Agency"),
}  # fmt: skip
FIELD_TYPES = [(t, TYPE_LABELS[t]) for t in ("section", *INPUT_TYPES)]
PREFILL = [("", "—")] + [(f"applicant.{k}", f"applicant.{k}") for k in
                         ("full_name", "personal_id", "phone", "email", "address", "date_of_birth")]  # fmt: skip
OUTCOME_LABELS = {outcome.value: outcome.label for outcome in OUTCOMES}
ROLE_CHOICES = [("", _("— (a consultation)"))] + [(r, Role(r).label) for r in ROLES]
# The ids of the page's <datalist>s (templates/admin/catalog/editor.html): the active agencies,
# and the places of a step (deciding, receiving, then the agencies).
AGENCY_LIST, PLACE_LIST = "agency-codes", "step-places"


def text_map(vi, en):
    return {"vi": vi, "en": en} if en else vi


def split_text(value):
    if isinstance(value, dict):
        return value.get("vi", ""), value.get("en", "")
    return value or "", ""


class JSONRule(forms.CharField):
    """A JSON Logic rule typed as JSON (empty = none).

    The page shows the rule back as a sentence (``sentence``, e.g. "Shown when %(rule)s.",
    filled in with :func:`egov.catalog.rule_text.describe`); the rule builder
    (static/js/rule-builder.js) writes into this input and reads the sentence's pattern from
    its ``data-sentence`` attribute.
    """

    def __init__(self, sentence="%(rule)s", **kwargs):
        self.sentence = sentence
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"size": 40, "placeholder": '{"var": "data.…"}',
                                                           "class": "json-rule", "spellcheck": "false",
                                                           "data-sentence": sentence}))  # fmt: skip
        super().__init__(**kwargs)

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        try:
            rule = json.loads(value)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("Not valid JSON: %(e)s"), params={"e": exc.msg}, code="json")
        if not isinstance(rule, dict | bool):
            raise forms.ValidationError(_('A condition is a JSON Logic rule such as {"var": "data.key"}.'))
        return rule

    def prepare_value(self, value):
        return value if isinstance(value, str) else ("" if value is None else json.dumps(value, ensure_ascii=False))

    def has_changed(self, initial, data):
        return self.prepare_value(initial) != (data or "").strip()


class GeneralForm(forms.Form):
    name_vi = forms.CharField(label=_("Name (Vietnamese)"), max_length=500)
    name_en = forms.CharField(label=_("Name (English)"), max_length=500, required=False)
    description_vi = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    description_en = forms.CharField(label=_("Description (English)"), widget=forms.Textarea(attrs={"rows": 2}),
                                     required=False)  # fmt: skip
    sector_code = forms.CharField(label=_("Sector code"), max_length=40)
    sector_name_vi = forms.CharField(label=_("Sector name"), max_length=250)
    sector_name_en = forms.CharField(label=_("Sector name (English)"), max_length=250, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=LEVELS)
    online_level = forms.ChoiceField(label=_("Online level"), choices=ONLINE)
    applicant_types = forms.MultipleChoiceField(label=_("Applicants"), choices=ApplicantType.choices,
                                                widget=forms.CheckboxSelectMultiple)  # fmt: skip
    channels = forms.MultipleChoiceField(label=_("Channels"), choices=CHANNELS, widget=forms.CheckboxSelectMultiple)
    effective_from = forms.DateField(label=_("In force from"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                                     help_text=_("Empty: from when it is published."))  # fmt: skip
    conditions = forms.CharField(label=_("Conditions"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    conditions_en = forms.CharField(label=_("Conditions (English)"), widget=forms.Textarea(attrs={"rows": 2}),
                                    required=False)  # fmt: skip
    # The agency inputs keep the unit code as their value; the page offers the active agencies
    # as "code — name" to pick from (a <datalist>, filtered by code or name as one types), and
    # static/js/rule-builder.js adds a picker to the lists (data-agency-picker).
    deciding_code = forms.CharField(
        label=_("Deciding agency (a fixed unit code)"), required=False,
        widget=forms.TextInput(attrs={"list": AGENCY_LIST, "autocomplete": "off"}),
        help_text=_("Type part of the code or of the name, then pick it from the list."),
    )  # fmt: skip
    deciding_level = forms.ChoiceField(label=_("…or the agency of this level"), choices=[("", "—")] + DECIDING_LEVELS,
                                       required=False)  # fmt: skip
    deciding_field = forms.CharField(label=_("…chosen in this form field"), required=False,
                                     help_text=_("The key of a form field of type agency."))  # fmt: skip
    receiving = forms.CharField(label=_("Receiving units"), initial="any",
                                widget=forms.TextInput(attrs={"data-agency-picker": "comma"}),
                                help_text=_("“any”, or unit codes separated by commas"))  # fmt: skip
    payment = forms.ChoiceField(label=_("Payment"), choices=PAYMENT, required=False)
    result_name_vi = forms.CharField(label=_("Result document"), max_length=300)
    result_name_en = forms.CharField(label=_("Result document (English)"), max_length=300, required=False)
    result_template = forms.CharField(label=_("Result template"), max_length=80)
    result_electronic = forms.BooleanField(label=_("The applicant can download the result"), required=False)

    def clean(self):
        data = super().clean()
        if not data.get("deciding_code") and not (data.get("deciding_level") and data.get("deciding_field")):
            self.add_error("deciding_code", _("Give a fixed unit code, or a level and the form field that chooses."))
        return data


class TimeLimitForm(forms.Form):
    when = JSONRule(label=_("When (empty: the default case, last)"), sentence=_("This case applies when %(rule)s."))
    working_days = forms.IntegerField(label=_("Working days"), min_value=0, required=False)
    working_hours = forms.IntegerField(label=_("Working hours"), min_value=0, required=False)
    same_day = forms.BooleanField(label=_("Same day"), required=False)
    cutoff = forms.RegexField(label=_("Cutoff (HH:MM)"), regex=r"^\d{2}:\d{2}$", max_length=5, required=False)

    def clean(self):
        data = super().clean()
        given = [data.get("working_days") is not None, data.get("working_hours") is not None,
                 bool(data.get("same_day"))]  # fmt: skip
        if sum(given) != 1 and not self.errors:
            raise forms.ValidationError(_("Give exactly one of: working days, working hours, same day."))
        return data


class LegalBasisForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=60)
    title = forms.CharField(label=_("Title"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    date = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"},
                                                                                   format="%Y-%m-%d"))  # fmt: skip
    issuer = forms.CharField(label=_("Issuer"), max_length=200, required=False)


class FeeForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=60)
    name_vi = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    amount = forms.IntegerField(label=_("Amount (đồng)"), min_value=0)
    when = JSONRule(label=_("Charged when (empty: always)"), sentence=_("Charged when %(rule)s."))


class DocumentForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=60)
    name_vi = forms.CharField(label=_("Name"), max_length=300)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Form"), choices=KINDS, initial="original")
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, initial=1)
    required_mode = forms.ChoiceField(label=_("Needed"), choices=REQUIRED, initial="yes")
    required_rule = JSONRule(label=_("Required when"), sentence=_("Required when %(rule)s."))
    template = forms.CharField(label=_("Blank form file"), max_length=120, required=False)
    file_types = forms.CharField(label=_("File types"), initial=", ".join(DEFAULT_FILE_TYPES), required=False)
    max_mb = forms.FloatField(label=_("Max MB"), min_value=0.1, required=False)
    sensitive = forms.BooleanField(label=_("Identity paper (sensitive)"), required=False)

    def clean(self):
        return _check_required_rule(super().clean())


class FieldForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=60)
    type = forms.ChoiceField(label=_("Type"), choices=FIELD_TYPES, initial="text")
    label_vi = forms.CharField(label=_("Label"), max_length=300)
    label_en = forms.CharField(label=_("Label (English)"), max_length=300, required=False)
    help_vi = forms.CharField(label=_("Help"), max_length=500, required=False)
    help_en = forms.CharField(label=_("Help (English)"), max_length=500, required=False)
    required_mode = forms.ChoiceField(label=_("Required"), choices=REQUIRED, initial="no")
    required_rule = JSONRule(label=_("Required when"), sentence=_("Required when %(rule)s."))
    visible = JSONRule(label=_("Shown when (empty: always)"), sentence=_("Shown when %(rule)s."))
    prefill = forms.ChoiceField(label=_("Prefill"), choices=PREFILL, required=False)
    default = forms.CharField(label=_("Default value"), required=False, max_length=200)
    max_length = forms.IntegerField(label=_("Max length"), min_value=1, required=False)
    pattern = forms.CharField(label=_("Pattern (regular expression)"), required=False, max_length=200)
    minimum = forms.CharField(label=_("Min"), required=False, max_length=20, help_text=_("A number, a date or today"))
    maximum = forms.CharField(label=_("Max"), required=False, max_length=20)
    choices = forms.CharField(label=_("Choices"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("One per line: value | label | English label"))  # fmt: skip
    level = forms.ChoiceField(label=_("Agency level"), choices=[("", "—")] + DECIDING_LEVELS, required=False)

    def clean_pattern(self):
        pattern = self.cleaned_data["pattern"]
        if pattern:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise forms.ValidationError(_("Not a valid regular expression: %(e)s"), params={"e": exc})
        return pattern

    def clean(self):
        return _check_required_rule(super().clean())


class StepFieldForm(FieldForm):
    """A field the officer fills in at a step (the step's own ``form``)."""

    step = forms.SlugField(label=_("Step key"), max_length=60)
    field_order = ["step"]


class StepForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=60)
    name_vi = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=ROLE_CHOICES, required=False)
    at = forms.CharField(label=_("At"), initial="deciding", max_length=20, required=False,
                         widget=forms.TextInput(attrs={"list": PLACE_LIST, "autocomplete": "off", "size": 16}),
                         help_text=_("deciding, receiving or a unit code"))  # fmt: skip
    budget_hours = forms.FloatField(label=_("Budget (hours)"), min_value=0, required=False,
                                    widget=forms.NumberInput(attrs={"step": "any"}))  # fmt: skip
    outcomes = forms.MultipleChoiceField(label=_("Outcomes"), choices=list(OUTCOME_LABELS.items()), required=False,
                                         widget=forms.CheckboxSelectMultiple)  # fmt: skip
    send_back_to = forms.CharField(label=_("Send back to (step key)"), max_length=60, required=False)
    consult = forms.CharField(label=_("Consult (a consultation step)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2, "data-agency-picker": "lines"}),
                              help_text=_("One agency per line: unit code, role (default partner)"))  # fmt: skip

    def clean(self):
        data = super().clean()
        if not data.get("consult") and not data.get("role") and "role" not in self.errors:
            self.add_error("role", _("Choose a role, or list the agencies to consult."))
        return data


def _check_required_rule(data):
    if data.get("required_mode") == "when" and data.get("required_rule") is None and "required_rule" in data:
        raise forms.ValidationError(_("“Required when…” needs a condition."))
    return data


def _formset(form, extra=1):
    return forms.formset_factory(form, extra=extra, can_delete=True, can_order=True)


# name → (form class, extra rows, heading); in the order of the page.
PART_FORMS = {
    "limits": (TimeLimitForm, 0, _("Time limit (cases, the first that holds wins; the last has no condition)")),
    "laws": (LegalBasisForm, 1, _("Legal basis")),
    "fees": (FeeForm, 1, _("Fees (none: free)")),
    "documents": (DocumentForm, 1, _("Documents to file")),
    "fields": (FieldForm, 1, _("Form fields")),
    "steps": (StepForm, 1, _("Handling steps (between intake and return)")),
    "step_fields": (StepFieldForm, 1, _("Fields the officer fills in at a step")),
}
PARTS = {name: _formset(form, extra) for name, (form, extra, _heading) in PART_FORMS.items()}
READ_ONLY_PARTS = {name: _formset(form, 0) for name, (form, _extra, _heading) in PART_FORMS.items()}
HEADINGS = {name: heading for name, (_form, _extra, heading) in PART_FORMS.items()}

# Where a definition path points in the general form: "agencies.deciding.code" → deciding_code.
GENERAL_PATHS = {
    "name": "name_vi", "description": "description_vi", "sector.code": "sector_code", "sector.name": "sector_name_vi",
    "sector": "sector_code", "level": "level", "online_level": "online_level", "applicant_types": "applicant_types",
    "channels": "channels", "effective_from": "effective_from", "conditions": "conditions",
    "agencies.deciding.code": "deciding_code", "agencies.deciding.level": "deciding_level",
    "agencies.deciding.from_field": "deciding_field", "agencies.deciding": "deciding_code",
    "agencies.receiving": "receiving", "agencies": "deciding_code", "payment": "payment",
    "result.name": "result_name_vi", "result.template": "result_template", "result.electronic": "result_electronic",
    "result": "result_name_vi",
}  # fmt: skip
# Where a whole list points: "steps: the budgets add up…" → the steps part.
LIST_PATHS = {"time_limit": "limits", "legal_basis": "laws", "fees": "fees", "documents": "documents",
              "form": "fields", "steps": "steps"}  # fmt: skip
# A key inside a row → the form field showing it.
ROW_KEYS = {
    "name": "name_vi", "label": "label_vi", "help": "help_vi", "required": "required_rule", "min": "minimum",
    "max": "maximum",
}  # fmt: skip


# --- definition → forms ---------------------------------------------------------------------


def initial_data(d):
    """Initial values of the general form and of every formset, for definition ``d``."""
    name_vi, name_en = split_text(d.get("name"))
    desc_vi, desc_en = split_text(d.get("description"))
    cond_vi, cond_en = split_text(d.get("conditions"))
    sector_vi, sector_en = split_text(d["sector"].get("name"))
    result_vi, result_en = split_text(d["result"].get("name"))
    deciding = d["agencies"]["deciding"]
    receiving = d["agencies"].get("receiving", "any")
    general = {
        "name_vi": name_vi, "name_en": name_en, "description_vi": desc_vi, "description_en": desc_en,
        "conditions_en": cond_en, "sector_code": d["sector"]["code"],
        "sector_name_vi": sector_vi, "sector_name_en": sector_en, "level": d["level"],
        "online_level": d["online_level"], "applicant_types": d["applicant_types"], "channels": d["channels"],
        "effective_from": d.get("effective_from"), "conditions": cond_vi,
        "deciding_code": deciding.get("code", ""), "deciding_level": deciding.get("level", ""),
        "deciding_field": deciding.get("from_field", ""),
        "receiving": receiving if isinstance(receiving, str) else ", ".join(receiving),
        "payment": d.get("payment", ""), "result_name_vi": result_vi, "result_name_en": result_en,
        "result_template": d["result"]["template"], "result_electronic": d["result"].get("electronic", False),
    }  # fmt: skip
    limits = d["time_limit"] if isinstance(d["time_limit"], list) else [d["time_limit"]]
    parts = {
        "limits": [dict(case) for case in limits],
        "laws": [{**law, "title": split_text(law.get("title"))[0], "title_en": split_text(law.get("title"))[1]}
                 for law in d.get("legal_basis", [])],
        "fees": [{"code": f["code"], "name_vi": split_text(f["name"])[0], "name_en": split_text(f["name"])[1],
                  "amount": f["amount"], "when": f.get("when")} for f in d.get("fees", [])],
        "documents": [_document_initial(doc) for doc in d["documents"]],
        "fields": [_field_initial(field) for field in d["form"]],
        "steps": [_step_initial(step) for step in d["steps"]],
        "step_fields": [{"step": step["key"], **_field_initial(field)}
                        for step in d["steps"] for field in step.get("form", [])],
    }  # fmt: skip
    for part_rows in parts.values():
        for position, row in enumerate(part_rows, start=1):
            row["ORDER"] = position
    return general, parts


def _mode(value, default):
    if value is None:
        return default, None
    if isinstance(value, bool):
        return ("yes" if value else "no"), None
    return "when", value


def _document_initial(doc):
    mode, rule = _mode(doc.get("required"), "yes")
    name_vi, name_en = split_text(doc["name"])
    return {"key": doc["key"], "name_vi": name_vi, "name_en": name_en, "kind": doc.get("kind", "original"),
            "quantity": doc.get("quantity", 1), "required_mode": mode, "required_rule": rule,
            "template": doc.get("template", ""),
            "file_types": ", ".join(doc.get("file_types") or DEFAULT_FILE_TYPES),
            "max_mb": doc.get("max_mb"), "sensitive": doc.get("sensitive", False)}  # fmt: skip


def _field_initial(field):
    mode, rule = _mode(field.get("required"), "no")
    label_vi, label_en = split_text(field.get("label"))
    help_vi, help_en = split_text(field.get("help"))
    choices = "\n".join(" | ".join(filter(None, [str(c["value"]), *split_text(c["label"])]))
                        for c in field.get("choices", []))  # fmt: skip
    default = field.get("default")
    return {"key": field["key"], "type": field["type"], "label_vi": label_vi, "label_en": label_en,
            "help_vi": help_vi, "help_en": help_en, "required_mode": mode, "required_rule": rule,
            "visible": field.get("visible"), "prefill": field.get("prefill", ""),
            "default": "" if default is None else default if isinstance(default, str)
            else json.dumps(default, ensure_ascii=False),
            "max_length": field.get("max_length"), "pattern": field.get("pattern", ""),
            "minimum": "" if field.get("min") is None else str(field["min"]),
            "maximum": "" if field.get("max") is None else str(field["max"]),
            "choices": choices, "level": field.get("level", "")}  # fmt: skip


def _step_initial(step):
    name_vi, name_en = split_text(step["name"])
    consult = "\n".join(c["agency"] + (f", {c['role']}" if c.get("role") and c["role"] != "partner" else "")
                        for c in step.get("consult", []))  # fmt: skip
    return {"key": step["key"], "name_vi": name_vi, "name_en": name_en, "role": step.get("role", ""),
            "at": "" if "consult" in step else step.get("at", "deciding"),
            "budget_hours": step.get("budget_hours"), "outcomes": step.get("outcomes", []),
            "send_back_to": step.get("send_back_to", ""), "consult": consult}  # fmt: skip


# --- forms → definition ---------------------------------------------------------------------


def rows(formset):
    """The filled-in rows in the order the administrator gave, without the deleted ones.

    Call only on a valid formset. Untouched blank rows are left out; rows without a
    position go last, in page order.
    """
    kept = [f for f in formset.forms if (f.has_changed() or f.initial) and f.cleaned_data]
    kept = [f for f in kept if not f.cleaned_data.get("DELETE")]
    return sorted(kept, key=lambda f: (f.cleaned_data.get("ORDER") is None, f.cleaned_data.get("ORDER") or 0))


def _number(text):
    text = (text or "").strip()
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        return text  # a date bound, or "today"; the format validator judges it
    return int(number) if number == int(number) else number


def build_definition(code, general, parts):
    """The definition the forms describe, and where each part of it came from.

    Returns ``(definition, where)``; ``where`` maps a definition path such as ``"fees[1]"``
    or ``"steps[0].form[2]"`` to the form (formset row) that produced it, so that the
    validator's ``path: message`` errors can be shown on the right row. Rows of step fields
    naming no step get an error of their own.
    """
    where = {}
    g = general.cleaned_data
    d = {"format": 1, "code": code, "name": text_map(g["name_vi"], g["name_en"])}
    if g["description_vi"]:
        d["description"] = text_map(g["description_vi"], g["description_en"])
    d["sector"] = {"code": g["sector_code"].strip(), "name": text_map(g["sector_name_vi"], g["sector_name_en"])}
    d.update(level=g["level"], online_level=g["online_level"], applicant_types=list(g["applicant_types"]),
             channels=list(g["channels"]))  # fmt: skip
    if g["effective_from"]:
        d["effective_from"] = g["effective_from"].isoformat()
    laws = []
    for i, f in enumerate(rows(parts["laws"])):
        c = f.cleaned_data
        law = {"number": c["number"], "title": text_map(c["title"], c.get("title_en"))}
        if c.get("date"):
            law["date"] = c["date"].isoformat()
        if c.get("issuer"):
            law["issuer"] = c["issuer"]
        laws.append(law)
        where[f"legal_basis[{i}]"] = f
    if laws:
        d["legal_basis"] = laws
    if g["conditions"]:
        d["conditions"] = text_map(g["conditions"], g["conditions_en"])
    if g["deciding_code"]:
        deciding = {"code": g["deciding_code"].strip()}
    else:
        deciding = {"level": g["deciding_level"], "from_field": g["deciding_field"].strip()}
    receiving = g["receiving"].strip() or "any"
    d["agencies"] = {"deciding": deciding}
    if receiving != "any":  # "any" is the format's default
        d["agencies"]["receiving"] = [unit.strip() for unit in receiving.split(",") if unit.strip()]
    cases = []
    for i, f in enumerate(rows(parts["limits"])):
        c = f.cleaned_data
        case = {"when": c["when"]} if c.get("when") is not None else {}
        if c.get("same_day"):
            case.update(same_day=True, cutoff=c.get("cutoff") or SAME_DAY_CUTOFF)
        elif c.get("working_hours") is not None:
            case["working_hours"] = c["working_hours"]
        else:
            case["working_days"] = c.get("working_days") or 0
        cases.append(case)
        where[f"time_limit[{i}]"] = f
    if len(cases) == 1 and "when" not in cases[0]:
        d["time_limit"] = cases[0]
        where["time_limit"] = where.pop("time_limit[0]")
    else:
        d["time_limit"] = cases
    fees = []
    for i, f in enumerate(rows(parts["fees"])):
        c = f.cleaned_data
        fee = {"code": c["code"], "name": text_map(c["name_vi"], c["name_en"]), "amount": c["amount"]}
        if c.get("when") is not None:
            fee["when"] = c["when"]
        fees.append(fee)
        where[f"fees[{i}]"] = f
    if fees:
        d["fees"] = fees
    if g["payment"]:
        d["payment"] = g["payment"]
    d["documents"] = []
    for i, f in enumerate(rows(parts["documents"])):
        d["documents"].append(_document(f.cleaned_data))
        where[f"documents[{i}]"] = f
    d["form"] = []
    for i, f in enumerate(rows(parts["fields"])):
        d["form"].append(_field(f.cleaned_data))
        where[f"form[{i}]"] = f
    step_fields = {}
    for f in rows(parts["step_fields"]):
        step_fields.setdefault(f.cleaned_data["step"], []).append(f)
    d["steps"] = []
    for i, f in enumerate(rows(parts["steps"])):
        step = _step(f.cleaned_data)
        own = step_fields.pop(step["key"], [])
        if own:
            step["form"] = [_field(row.cleaned_data) for row in own]
            for j, row in enumerate(own):
                where[f"steps[{i}].form[{j}]"] = row
        d["steps"].append(step)
        where[f"steps[{i}]"] = f
    for orphans in step_fields.values():
        for row in orphans:
            row.add_error("step", _("No step has this key."))
    d["result"] = {"name": text_map(g["result_name_vi"], g["result_name_en"]), "template": g["result_template"],
                   "electronic": bool(g["result_electronic"])}  # fmt: skip
    return d, where


def posted_fields(parts):
    """The form's fields and the steps' own fields ``(form, {step key: fields})`` as the page
    posted them, or None when those rows are not valid (or nothing was posted).

    The conditions' sentences and the rule builder use them when the page comes back after a
    POST, so that a field added and not yet saved can be named in a condition right away.
    """
    fields, step_fields = parts["fields"], parts["step_fields"]
    if not (fields.is_bound and fields.is_valid() and step_fields.is_valid()):
        return None
    step_forms = {}
    for f in rows(step_fields):
        step_forms.setdefault(f.cleaned_data["step"], []).append(_field(f.cleaned_data))
    return [_field(f.cleaned_data) for f in rows(fields)], step_forms


def _required(c, default):
    mode = c.get("required_mode") or default
    return c.get("required_rule") if mode == "when" else mode == "yes"


def _document(c):
    doc = {"key": c["key"], "name": text_map(c["name_vi"], c["name_en"]), "kind": c["kind"],
           "required": _required(c, "yes")}  # fmt: skip
    if (c.get("quantity") or 1) != 1:  # 1 is the format's default
        doc["quantity"] = c["quantity"]
    if c.get("template"):
        doc["template"] = c["template"].strip()
    types = [t.strip().lower().lstrip(".") for t in (c.get("file_types") or "").split(",") if t.strip()]
    if types and types != list(DEFAULT_FILE_TYPES):
        doc["file_types"] = types
    if c.get("max_mb"):
        doc["max_mb"] = int(c["max_mb"]) if float(c["max_mb"]).is_integer() else c["max_mb"]
    if c.get("sensitive"):
        doc["sensitive"] = True
    return doc


def _field(c):
    field = {"key": c["key"], "type": c["type"], "label": text_map(c["label_vi"], c["label_en"])}
    if c.get("help_vi"):
        field["help"] = text_map(c["help_vi"], c.get("help_en"))
    if c["type"] == "section":
        if c.get("visible") is not None:
            field["visible"] = c["visible"]
        return field
    required = _required(c, "no")
    if required is not False:
        field["required"] = required
    if c.get("visible") is not None:
        field["visible"] = c["visible"]
    if c.get("default"):
        field["default"] = _default(c["type"], c["default"])
    for name, value in (("prefill", c.get("prefill")), ("max_length", c.get("max_length")),
                        ("pattern", c.get("pattern")), ("min", _number(c.get("minimum"))),
                        ("max", _number(c.get("maximum"))), ("level", c.get("level"))):  # fmt: skip
        if value not in (None, ""):
            field[name] = value
    lines = [line.split("|") for line in (c.get("choices") or "").splitlines() if line.strip()]
    if lines:
        field["choices"] = [_choice(parts) for parts in lines]
    return field


def _default(ftype, text):
    if ftype in ("integer", "decimal", "money", "boolean", "multichoice"):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return text  # the format validator says what is wrong
    return text


def _choice(parts):
    value = parts[0].strip()
    label_vi = parts[1].strip() if len(parts) > 1 and parts[1].strip() else value
    label_en = parts[2].strip() if len(parts) > 2 else ""
    return {"value": value, "label": text_map(label_vi, label_en)}


def _step(c):
    step = {"key": c["key"], "name": text_map(c["name_vi"], c["name_en"])}
    consult = [line.split(",") for line in (c.get("consult") or "").splitlines() if line.strip()]
    if consult:
        step["consult"] = [{"agency": p[0].strip(), "role": (p[1].strip() if len(p) > 1 else "partner")}
                           for p in consult]  # fmt: skip
    else:
        step["role"] = c.get("role") or ""
        step["at"] = (c.get("at") or "deciding").strip()
        step["outcomes"] = list(c.get("outcomes") or [])
        if c.get("send_back_to"):
            step["send_back_to"] = c["send_back_to"].strip()
    if c.get("budget_hours") is not None:
        hours = c["budget_hours"]
        step["budget_hours"] = int(hours) if float(hours).is_integer() else hours
    return step


# --- validator errors → forms ---------------------------------------------------------------


def _prefix_of(path, candidates):
    """The longest candidate that ``path`` is, or starts with (followed by "." or "[")."""
    return next((p for p in sorted(candidates, key=len, reverse=True)
                 if path == p or path.startswith((p + ".", p + "["))), None)  # fmt: skip


def place_errors(errors, general, where):
    """Put each ``path: message`` of the validator next to the form or row it is about.

    Returns ``(by_part, leftover)``: errors about a whole list (shown above that part) and
    those that belong nowhere in particular (shown at the top of the page).
    """
    by_part, leftover = {}, []
    for error in errors:
        path, _sep, message = error.partition(": ")
        location = _prefix_of(path, where)
        if location is not None:
            form = where[location]
            rest = path[len(location):].lstrip(".")
            key = re.split(r"[.\[]", rest, maxsplit=1)[0] if rest else ""
            name = ROW_KEYS.get(key, key)
            if name and name in form.fields:
                form.add_error(name, message if rest == key else f"{rest}: {message}")
            else:
                form.add_error(None, f"{path}: {message}")
            continue
        general_key = _prefix_of(path, GENERAL_PATHS)
        if general_key is not None:
            general.add_error(GENERAL_PATHS[general_key], message if path == general_key else f"{path}: {message}")
            continue
        head = re.split(r"[.\[]", path, maxsplit=1)[0]
        if head in LIST_PATHS:
            by_part.setdefault(LIST_PATHS[head], []).append(error)
            continue
        leftover.append(error)
    return by_part, leftover
