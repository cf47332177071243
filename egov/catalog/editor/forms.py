"""The structured editor's forms, and the two conversions: definition → forms, forms → definition.

Each part of a definition has its own form or formset (general facts, time-limit cases,
legal basis, fees, documents, form fields, steps). Conditions (JSON Logic) are small JSON
inputs next to the field they govern; nothing is edited as one raw JSON document.
"""

import json

from django import forms
from django.utils.translation import gettext_lazy as _

from ..definition import INPUT_TYPES
from ..format import OUTCOMES, ROLES

LEVELS = [("province", _("Province")), ("commune", _("Commune")), ("central", _("Central"))]
ONLINE = [("full", _("Fully online")), ("partial", _("Partly online"))]
APPLICANTS = [("individual", _("Individual")), ("organization", _("Organisation")), ("foreigner", _("Foreigner"))]
CHANNELS = [("online", _("Online")), ("in_person", _("In person")), ("post", _("By post"))]
PAYMENT = [("", _("Default")), ("before_processing", _("Before processing")), ("before_result", _("Before the result")),
           ("none", _("None"))]  # fmt: skip
KINDS = [("original", _("Original")), ("certified_copy", _("Certified copy")), ("copy", _("Copy"))]
REQUIRED = [("yes", _("Required")), ("no", _("Optional")), ("when", _("Required when…"))]
FIELD_TYPES = [("section", _("Section heading"))] + [(t, t) for t in INPUT_TYPES]
PREFILL = [("", "—")] + [(f"applicant.{k}", f"applicant.{k}") for k in
                         ("full_name", "personal_id", "phone", "email", "address", "date_of_birth")]  # fmt: skip


def text_map(vi, en):
    return {"vi": vi, "en": en} if en else vi


def split_text(value):
    if isinstance(value, dict):
        return value.get("vi", ""), value.get("en", "")
    return value or "", ""


class JSONRule(forms.CharField):
    """A JSON Logic rule typed as JSON (empty = none)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"size": 50, "placeholder": '{"var": "data.…"}'}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        try:
            return json.loads(value)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(_("Not valid JSON: %(e)s") % {"e": exc.msg})

    def prepare_value(self, value):
        return value if isinstance(value, str) else ("" if value is None else json.dumps(value, ensure_ascii=False))


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
    applicant_types = forms.MultipleChoiceField(label=_("Applicants"), choices=APPLICANTS,
                                                widget=forms.CheckboxSelectMultiple)  # fmt: skip
    channels = forms.MultipleChoiceField(label=_("Channels"), choices=CHANNELS, widget=forms.CheckboxSelectMultiple)
    effective_from = forms.DateField(label=_("In force from"), required=False,
                                     widget=forms.DateInput(attrs={"type": "date"}))  # fmt: skip
    conditions = forms.CharField(label=_("Conditions"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    conditions_en = forms.CharField(label=_("Conditions (English)"), widget=forms.Textarea(attrs={"rows": 2}),
                                    required=False)  # fmt: skip
    deciding_code = forms.CharField(label=_("Deciding agency (a fixed unit code)"), required=False)
    deciding_level = forms.ChoiceField(label=_("…or the agency of this level"), choices=[("", "—")] + LEVELS,
                                       required=False)  # fmt: skip
    deciding_field = forms.CharField(label=_("…chosen in this form field"), required=False)
    receiving = forms.CharField(label=_("Receiving units"), initial="any",
                                help_text=_("“any”, or unit codes separated by commas"))  # fmt: skip
    payment = forms.ChoiceField(label=_("Payment"), choices=PAYMENT, required=False)
    result_name_vi = forms.CharField(label=_("Result document"), max_length=300)
    result_name_en = forms.CharField(label=_("Result document (English)"), max_length=300, required=False)
    result_template = forms.CharField(label=_("Result template"), max_length=80)
    result_electronic = forms.BooleanField(label=_("The applicant can download the result"), required=False)


class TimeLimitForm(forms.Form):
    working_days = forms.IntegerField(label=_("Working days"), min_value=0, required=False)
    working_hours = forms.IntegerField(label=_("Working hours"), min_value=0, required=False)
    same_day = forms.BooleanField(label=_("Same day"), required=False)
    cutoff = forms.CharField(label=_("Cutoff"), max_length=5, required=False)
    when = JSONRule(label=_("When (empty: the default case, last)"))


class LegalBasisForm(forms.Form):
    number = forms.CharField(label=_("Number"), max_length=60)
    title = forms.CharField(label=_("Title"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    date = forms.DateField(label=_("Date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    issuer = forms.CharField(label=_("Issuer"), max_length=200, required=False)


class FeeForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=60)
    name_vi = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    amount = forms.IntegerField(label=_("Amount (đồng)"), min_value=0)
    when = JSONRule(label=_("When"))


class DocumentForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=60)
    name_vi = forms.CharField(label=_("Name"), max_length=300)
    name_en = forms.CharField(label=_("Name (English)"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Form"), choices=KINDS)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, initial=1)
    required_mode = forms.ChoiceField(label=_("Needed"), choices=REQUIRED, initial="yes")
    required_rule = JSONRule(label=_("Required when"))
    template = forms.CharField(label=_("Blank form file"), max_length=120, required=False)
    file_types = forms.CharField(label=_("File types"), initial="pdf, jpg, jpeg, png", required=False)
    max_mb = forms.FloatField(label=_("Max MB"), min_value=0.1, required=False)
    sensitive = forms.BooleanField(label=_("Identity paper (sensitive)"), required=False)


class FieldForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=60)
    type = forms.ChoiceField(label=_("Type"), choices=FIELD_TYPES)
    label_vi = forms.CharField(label=_("Label"), max_length=300)
    label_en = forms.CharField(label=_("Label (English)"), max_length=300, required=False)
    help_vi = forms.CharField(label=_("Help"), max_length=500, required=False)
    help_en = forms.CharField(label=_("Help (English)"), max_length=500, required=False)
    required_mode = forms.ChoiceField(label=_("Required"), choices=REQUIRED, initial="no")
    required_rule = JSONRule(label=_("Required when"))
    visible = JSONRule(label=_("Shown when"))
    prefill = forms.ChoiceField(label=_("Prefill"), choices=PREFILL, required=False)
    default = forms.CharField(label=_("Default value"), required=False, max_length=200)
    max_length = forms.IntegerField(label=_("Max length"), min_value=1, required=False)
    minimum = forms.CharField(label=_("Min"), required=False, max_length=20)
    maximum = forms.CharField(label=_("Max"), required=False, max_length=20)
    choices = forms.CharField(label=_("Choices"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("One per line: value | label | English label"))  # fmt: skip
    level = forms.ChoiceField(label=_("Agency level"), choices=[("", "—")] + LEVELS, required=False)


class StepForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=60)
    name_vi = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=[("", _("— (a consultation)"))] + [(r, r) for r in ROLES],
                             required=False)  # fmt: skip
    at = forms.CharField(label=_("At"), initial="deciding", max_length=20,
                         help_text=_("deciding, receiving or a unit code"))  # fmt: skip
    budget_hours = forms.IntegerField(label=_("Budget (hours)"), min_value=0, required=False)
    outcomes = forms.MultipleChoiceField(label=_("Outcomes"), choices=[(o, o) for o in OUTCOMES], required=False,
                                         widget=forms.CheckboxSelectMultiple)  # fmt: skip
    send_back_to = forms.CharField(label=_("Send back to (step key)"), max_length=60, required=False)
    consult = forms.CharField(label=_("Consult (unit codes, one per line)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


def _formset(form, extra=1):
    return forms.formset_factory(form, extra=extra, can_delete=True, can_order=True)


TimeLimitFormSet = _formset(TimeLimitForm, extra=0)
LegalBasisFormSet = _formset(LegalBasisForm)
FeeFormSet = _formset(FeeForm)
DocumentFormSet = _formset(DocumentForm)
FieldFormSet = _formset(FieldForm)
StepFormSet = _formset(StepForm)

PARTS = {
    "limits": TimeLimitFormSet, "laws": LegalBasisFormSet, "fees": FeeFormSet, "documents": DocumentFormSet,
    "fields": FieldFormSet, "steps": StepFormSet,
}  # fmt: skip
# Where a definition path points in the editor: "fees[1].amount" → the fees formset, row 1.
PATH_PARTS = {"time_limit": "limits", "legal_basis": "laws", "fees": "fees", "documents": "documents",
              "form": "fields", "steps": "steps"}  # fmt: skip


# --- definition → forms ---------------------------------------------------------------------


def initial_data(d):
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
    }  # fmt: skip
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
            "template": doc.get("template", ""), "file_types": ", ".join(doc.get("file_types", [])),
            "max_mb": doc.get("max_mb"), "sensitive": doc.get("sensitive", False)}  # fmt: skip


def _field_initial(field):
    mode, rule = _mode(field.get("required"), "no")
    label_vi, label_en = split_text(field.get("label"))
    choices = "\n".join(f"{c['value']} | {split_text(c['label'])[0]} | {split_text(c['label'])[1]}".rstrip(" |")
                        for c in field.get("choices", []))  # fmt: skip
    return {"key": field["key"], "type": field["type"], "label_vi": label_vi, "label_en": label_en,
            "help_vi": split_text(field.get("help"))[0], "help_en": split_text(field.get("help"))[1],
            "required_mode": mode, "required_rule": rule,
            "visible": field.get("visible"), "prefill": field.get("prefill", ""), "max_length": field.get("max_length"),
            "default": "" if field.get("default") is None else json.dumps(field["default"], ensure_ascii=False)
            if not isinstance(field["default"], str) else field["default"],
            "minimum": "" if field.get("min") is None else str(field["min"]),
            "maximum": "" if field.get("max") is None else str(field["max"]),
            "choices": choices, "level": field.get("level", "")}  # fmt: skip


def _step_initial(step):
    name_vi, name_en = split_text(step["name"])
    consult = "\n".join(c["agency"] + (f", {c['role']}" if c.get("role") and c["role"] != "partner" else "")
                        for c in step.get("consult", []))  # fmt: skip
    return {"key": step["key"], "name_vi": name_vi, "name_en": name_en, "role": step.get("role", ""),
            "at": step.get("at", "deciding"), "budget_hours": step.get("budget_hours"),
            "outcomes": step.get("outcomes", []), "send_back_to": step.get("send_back_to", ""), "consult": consult,
            "_form": step.get("form")}  # fmt: skip


# --- forms → definition ---------------------------------------------------------------------


def _rows(formset):
    """Cleaned rows in the order the administrator gave, without the deleted ones."""
    rows = [f for f in formset.forms if f.has_changed() or f.initial]
    rows = [f for f in rows if not f.cleaned_data.get("DELETE") and f.cleaned_data]
    return sorted(rows, key=lambda f: (f.cleaned_data.get("ORDER") is None, f.cleaned_data.get("ORDER") or 0))


def _number(text):
    text = (text or "").strip()
    if not text:
        return None
    if text == "today":
        return text
    try:
        number = float(text)
    except ValueError:
        return text  # a date bound; the format validator judges it
    return int(number) if number == int(number) else number


def build_definition(code, general, parts, previous):
    g = general.cleaned_data
    d = {"format": 1, "code": code, "name": text_map(g["name_vi"], g["name_en"])}
    if g["description_vi"]:
        d["description"] = text_map(g["description_vi"], g["description_en"])
    d["sector"] = {"code": g["sector_code"], "name": text_map(g["sector_name_vi"], g["sector_name_en"])}
    d.update(level=g["level"], online_level=g["online_level"], applicant_types=list(g["applicant_types"]),
             channels=list(g["channels"]))  # fmt: skip
    if g["effective_from"]:
        d["effective_from"] = g["effective_from"].isoformat()
    laws = []
    for f in _rows(parts["laws"]):
        c = f.cleaned_data
        law = {"number": c["number"], "title": text_map(c["title"], c.get("title_en"))}
        if c.get("date"):
            law["date"] = c["date"].isoformat()
        if c.get("issuer"):
            law["issuer"] = c["issuer"]
        laws.append(law)
    if laws:
        d["legal_basis"] = laws
    if g["conditions"]:
        d["conditions"] = text_map(g["conditions"], g["conditions_en"])
    if g["deciding_code"]:
        deciding = {"code": g["deciding_code"].strip()}
    else:
        deciding = {"level": g["deciding_level"], "from_field": g["deciding_field"].strip()}
    receiving = g["receiving"].strip() or "any"
    units = [code.strip() for code in receiving.split(",") if code.strip()]
    d["agencies"] = {"deciding": deciding}
    if receiving != "any":  # "any" is the format's default
        d["agencies"]["receiving"] = units
    cases = []
    for f in _rows(parts["limits"]):
        c = f.cleaned_data
        case = {"when": c["when"]} if c.get("when") is not None else {}
        if c.get("same_day"):
            case.update(same_day=True, cutoff=c.get("cutoff") or "15:00")
        elif c.get("working_hours") is not None:
            case["working_hours"] = c["working_hours"]
        else:
            case["working_days"] = c.get("working_days") or 0
        cases.append(case)
    d["time_limit"] = cases[0] if len(cases) == 1 and "when" not in cases[0] else cases
    fees = []
    for f in _rows(parts["fees"]):
        c = f.cleaned_data
        fee = {"code": c["code"], "name": text_map(c["name_vi"], c["name_en"]), "amount": c["amount"]}
        if c.get("when") is not None:
            fee["when"] = c["when"]
        fees.append(fee)
    if fees:
        d["fees"] = fees
    if g["payment"]:
        d["payment"] = g["payment"]
    d["documents"] = [_document(f.cleaned_data) for f in _rows(parts["documents"])]
    d["form"] = [_field(f.cleaned_data) for f in _rows(parts["fields"])]
    previous_forms = {s["key"]: s.get("form") for s in previous.get("steps", [])}
    d["steps"] = [_step(f.cleaned_data, previous_forms) for f in _rows(parts["steps"])]
    d["result"] = {"name": text_map(g["result_name_vi"], g["result_name_en"]), "template": g["result_template"],
                   "electronic": bool(g["result_electronic"])}  # fmt: skip
    return d


def _required(c, default):
    mode = c.get("required_mode") or default
    return c.get("required_rule") if mode == "when" else mode == "yes"


def _document(c):
    doc = {"key": c["key"], "name": text_map(c["name_vi"], c["name_en"]), "kind": c["kind"],
           "required": _required(c, "yes")}
    if (c.get("quantity") or 1) != 1:  # 1 is the format's default
        doc["quantity"] = c["quantity"]
    if c.get("template"):
        doc["template"] = c["template"]
    types = [t.strip().lower() for t in (c.get("file_types") or "").split(",") if t.strip()]
    if types and types != ["pdf", "jpg", "jpeg", "png"]:
        doc["file_types"] = types
    if c.get("max_mb"):
        doc["max_mb"] = c["max_mb"]
    if c.get("sensitive"):
        doc["sensitive"] = True
    return doc


def _field(c):
    field = {"key": c["key"], "type": c["type"], "label": text_map(c["label_vi"], c["label_en"])}
    if c["type"] == "section":
        if c.get("visible") is not None:
            field["visible"] = c["visible"]
        return field
    if c.get("help_vi"):
        field["help"] = text_map(c["help_vi"], c.get("help_en"))
    required = _required(c, "no")
    if required is not False:
        field["required"] = required
    if c.get("visible") is not None:
        field["visible"] = c["visible"]
    if c.get("default"):
        field["default"] = _default(c["type"], c["default"])
    for name, value in (("prefill", c.get("prefill")), ("max_length", c.get("max_length")),
                        ("min", _number(c.get("minimum"))), ("max", _number(c.get("maximum"))),
                        ("level", c.get("level"))):  # fmt: skip
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
    label_vi = parts[1].strip() if len(parts) > 1 else value
    label_en = parts[2].strip() if len(parts) > 2 else ""
    return {"value": value, "label": text_map(label_vi, label_en)}


def _step(c, previous_forms):
    step = {"key": c["key"], "name": text_map(c["name_vi"], c["name_en"])}
    consult = [line.split(",") for line in (c.get("consult") or "").splitlines() if line.strip()]
    if consult:
        step["consult"] = [{"agency": p[0].strip(), "role": (p[1].strip() if len(p) > 1 else "partner")}
                           for p in consult]  # fmt: skip
    else:
        step["role"] = c.get("role") or ""
        step["at"] = c.get("at") or "deciding"
        step["outcomes"] = list(c.get("outcomes") or [])
        if c.get("send_back_to"):
            step["send_back_to"] = c["send_back_to"]
        if previous_forms.get(c["key"]):
            step["form"] = previous_forms[c["key"]]  # the step's own fields are kept as they were
    if c.get("budget_hours") is not None:
        step["budget_hours"] = c["budget_hours"]
    return step
