"""Reading a stored procedure definition, with the defaults of the format applied.

The stored definition keeps what its author wrote; every default of the spec lives here,
in one place, so the engine, the portal and the documents agree on what a definition means.
"""

from dataclasses import dataclass, field

from egov.common.text import localize
from egov.common.vocabulary import SAME_DAY_CUTOFF

from .conditions import evaluate

DEFAULT_FILE_TYPES = ("pdf", "jpg", "jpeg", "png")
DEFAULT_MAX_MB = 10
INPUT_TYPES = (
    "text", "textarea", "integer", "decimal", "money", "date", "boolean", "choice", "multichoice", "email", "phone",
    "personal_id", "tax_code", "agency",
)  # fmt: skip


@dataclass(frozen=True)
class Field:
    raw: dict

    @property
    def key(self):
        return self.raw["key"]

    @property
    def type(self):
        return self.raw["type"]

    @property
    def is_section(self):
        return self.type == "section"

    def label(self, language=None):
        return localize(self.raw.get("label"), language)

    def help(self, language=None):
        return localize(self.raw.get("help"), language)

    @property
    def required(self):
        return self.raw.get("required", False)

    @property
    def visible(self):
        return self.raw.get("visible")

    def choices(self, language=None):
        return [(c["value"], localize(c["label"], language)) for c in self.raw.get("choices", [])]

    def choice_label(self, value, language=None):
        for choice_value, label in self.choices(language):
            if choice_value == value:
                return label
        return str(value)

    def get(self, key, default=None):
        return self.raw.get(key, default)


@dataclass(frozen=True)
class Document:
    raw: dict

    @property
    def key(self):
        return self.raw["key"]

    def name(self, language=None):
        return localize(self.raw.get("name"), language)

    @property
    def kind(self):
        return self.raw.get("kind", "original")

    @property
    def quantity(self):
        return self.raw.get("quantity", 1)

    @property
    def required(self):
        # A listed paper is required unless the definition says otherwise.
        return self.raw.get("required", True)

    @property
    def template(self):
        return self.raw.get("template")

    @property
    def file_types(self):
        return tuple(self.raw.get("file_types") or DEFAULT_FILE_TYPES)

    @property
    def max_bytes(self):
        return int(float(self.raw.get("max_mb", DEFAULT_MAX_MB)) * 1024 * 1024)

    @property
    def max_mb(self):
        return self.raw.get("max_mb", DEFAULT_MAX_MB)

    @property
    def sensitive(self):
        return bool(self.raw.get("sensitive", False))


@dataclass(frozen=True)
class Step:
    raw: dict
    index: int

    @property
    def key(self):
        return self.raw["key"]

    def name(self, language=None):
        return localize(self.raw.get("name"), language)

    @property
    def is_consultation(self):
        return "consult" in self.raw

    @property
    def role(self):
        return self.raw.get("role")

    @property
    def at(self):
        return self.raw.get("at", "deciding")

    @property
    def budget_hours(self):
        return self.raw.get("budget_hours")

    @property
    def outcomes(self):
        return tuple(self.raw.get("outcomes", ()))

    @property
    def send_back_to(self):
        return self.raw.get("send_back_to")

    @property
    def consultations(self):
        return [{"agency": c["agency"], "role": c.get("role", "partner")} for c in self.raw.get("consult", [])]

    @property
    def form(self):
        return [Field(f) for f in self.raw.get("form", [])]


@dataclass
class ProcedureDefinition:
    data: dict
    _fields: list = field(default=None, init=False, repr=False)

    # --- identity ---------------------------------------------------------------------

    @property
    def code(self):
        return self.data["code"]

    def name(self, language=None):
        return localize(self.data.get("name"), language)

    def description(self, language=None):
        return localize(self.data.get("description"), language)

    def conditions_text(self, language=None):
        return localize(self.data.get("conditions"), language)

    @property
    def sector(self):
        return self.data["sector"]

    @property
    def level(self):
        return self.data["level"]

    @property
    def online_level(self):
        return self.data["online_level"]

    @property
    def applicant_types(self):
        return tuple(self.data["applicant_types"])

    @property
    def channels(self):
        return tuple(self.data["channels"])

    @property
    def effective_from(self):
        return self.data.get("effective_from")

    @property
    def legal_basis(self):
        return self.data.get("legal_basis", [])

    # --- agencies ---------------------------------------------------------------------

    @property
    def deciding(self):
        return self.data["agencies"]["deciding"]

    @property
    def receiving(self):
        return self.data["agencies"].get("receiving", "any")

    def deciding_code(self, form_data):
        """The deciding agency's unit code: fixed, or chosen per dossier in a form field."""
        if "code" in self.deciding:
            return self.deciding["code"]
        return (form_data or {}).get(self.deciding["from_field"])

    # --- form and documents -------------------------------------------------------------

    @property
    def fields(self):
        if self._fields is None:
            self._fields = [Field(f) for f in self.data["form"]]
        return self._fields

    @property
    def input_fields(self):
        return [f for f in self.fields if not f.is_section]

    def field(self, key):
        return next((f for f in self.fields if f.key == key), None)

    @property
    def documents(self):
        return [Document(d) for d in self.data["documents"]]

    def document(self, key):
        return next((d for d in self.documents if d.key == key), None)

    # --- money and time ---------------------------------------------------------------

    @property
    def fees(self):
        return self.data.get("fees", [])

    @property
    def payment(self):
        if "payment" in self.data:
            return self.data["payment"]
        return "before_result" if self.fees else "none"

    def fee_lines(self, context):
        """The fees that apply to a dossier: those whose condition holds (or that have none)."""
        return [fee for fee in self.fees if evaluate(fee.get("when"), context)]

    def fee_total(self, context):
        return sum(fee["amount"] for fee in self.fee_lines(context))

    @property
    def time_limit_cases(self):
        limit = self.data["time_limit"]
        return limit if isinstance(limit, list) else [limit]

    def time_limit_for(self, context):
        """The first case whose ``when`` holds; the last case is the default."""
        for case in self.time_limit_cases:
            if evaluate(case.get("when"), context):
                return {k: v for k, v in case.items() if k != "when"}
        return {k: v for k, v in self.time_limit_cases[-1].items() if k != "when"}

    # --- steps and result -------------------------------------------------------------

    @property
    def steps(self):
        return [Step(s, i) for i, s in enumerate(self.data["steps"])]

    def step(self, key):
        return next((s for s in self.steps if s.key == key), None)

    @property
    def result(self):
        return self.data["result"]

    def result_name(self, language=None):
        return localize(self.result.get("name"), language)

    @property
    def result_template(self):
        return self.result["template"]

    @property
    def result_electronic(self):
        return bool(self.result.get("electronic", False))

    @property
    def sets(self):
        """How many sets of the papers the applicant files (số bộ hồ sơ): one unless stated."""
        return self.data.get("sets", 1)


def summarise_time_limit(case, language=None):
    """Plain-language time limit, e.g. '3 working days'."""
    from django.utils import translation
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    with translation.override(language or translation.get_language()):
        if case.get("same_day"):
            return _("Same day (next working day if received after %(cutoff)s)") % {
                "cutoff": case.get("cutoff", SAME_DAY_CUTOFF)
            }
        if "working_days" in case:
            n = case["working_days"]
            return ngettext("%(n)d working day", "%(n)d working days", n) % {"n": n}
        n = case["working_hours"]
        return ngettext("%(n)d working hour", "%(n)d working hours", n) % {"n": n}
