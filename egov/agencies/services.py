"""Writes to the agency tree: the only place agencies are created, renamed or merged."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from egov.audit.services import record

from .models import Agency, AgencyCodeChange, validate_office_hours, validate_unit_code

ALLOWED_KEYS = {
    "code",
    "name",
    "name_en",
    "level",
    "parent",
    "service_centre",
    "address",
    "phone",
    "email",
    "office_hours",
    "active",
    "previous_code",
    "merged_into",
}


class AgencyImportError(Exception):
    def __init__(self, errors):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ImportReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    renamed: list = field(default_factory=list)


def _check(records):
    """Validate every record before touching the database; return the list of errors."""
    errors = []
    if not isinstance(records, list):
        return [_("the file must hold a list of agencies")]
    codes_in_file = set()
    for index, item in enumerate(records):
        where = f"[{index}]"
        if not isinstance(item, dict):
            errors.append(f"{where}: " + _("an agency is a mapping of keys to values"))
            continue
        unknown = set(item) - ALLOWED_KEYS
        for key in sorted(unknown):
            errors.append(f"{where}.{key}: " + _("unknown key"))
        for key in ("code", "name", "level"):
            if not item.get(key):
                errors.append(f"{where}.{key}: " + _("required"))
        code = item.get("code")
        if code:
            try:
                validate_unit_code(code)
            except ValidationError as exc:
                errors.append(f"{where}.code: {exc.messages[0]}")
            if code in codes_in_file:
                errors.append(f"{where}.code: " + _("'%(code)s' appears twice in the file") % {"code": code})
            codes_in_file.add(code)
        if item.get("level") and item["level"] not in Agency.Level.values:
            errors.append(
                f"{where}.level: " + _("must be one of %(values)s") % {"values": ", ".join(Agency.Level.values)}
            )
        try:
            validate_office_hours(item.get("office_hours"))
        except ValidationError as exc:
            errors.append(f"{where}.office_hours: {exc.messages[0]}")
    known = codes_in_file | set(Agency.objects.values_list("code", flat=True))
    for index, item in enumerate(records):
        if not isinstance(item, dict):
            continue
        for key in ("parent", "merged_into"):
            ref = item.get(key)
            if ref and ref not in known:
                errors.append(f"[{index}].{key}: " + _("no agency has the code '%(code)s'") % {"code": ref})
    return errors


@transaction.atomic
def import_agencies(records, actor=None):
    """Create or update agencies by code. Idempotent; all or nothing."""
    errors = _check(records)
    if errors:
        raise AgencyImportError(errors)
    report = ImportReport()
    by_code = {}
    # First pass: the agencies themselves; second pass: the links between them, so a file
    # may list a child before its parent.
    for item in records:
        code = item["code"]
        agency = Agency.objects.filter(code=code).first()
        previous = item.get("previous_code")
        if agency is None and previous:
            agency = Agency.objects.filter(code=previous).first()
            if agency is not None:
                AgencyCodeChange.objects.create(agency=agency, old_code=previous, new_code=code, old_name=agency.name)
                report.renamed.append(f"{previous} → {code}")
        values = {
            "code": code,
            "name": item["name"],
            "name_en": item.get("name_en", ""),
            "level": item["level"],
            "service_centre": bool(item.get("service_centre", False)),
            "address": item.get("address", ""),
            "phone": item.get("phone", ""),
            "email": item.get("email", ""),
            "office_hours": item.get("office_hours") or [],
            "active": bool(item.get("active", True)),
        }
        if agency is None:
            agency = Agency.objects.create(**values)
            report.created.append(code)
            record(actor, "agency.created", agency, after=values)
        else:
            before = {key: getattr(agency, key) for key in values}
            if before != values:
                for key, value in values.items():
                    setattr(agency, key, value)
                agency.save()
                report.updated.append(code)
                record(actor, "agency.updated", agency, before=before, after=values)
            else:
                report.unchanged.append(code)
        by_code[code] = agency
    for item in records:
        agency = by_code[item["code"]]
        parent = _resolve(item.get("parent"), by_code)
        merged_into = _resolve(item.get("merged_into"), by_code)
        if (agency.parent_id, agency.merged_into_id) != (
            parent.pk if parent else None,
            merged_into.pk if merged_into else None,
        ):
            agency.parent, agency.merged_into = parent, merged_into
            agency.save(update_fields=["parent", "merged_into", "updated_at"])
            if item["code"] not in report.created and item["code"] not in report.updated:
                report.unchanged.remove(item["code"])
                report.updated.append(item["code"])
    _check_no_cycles(by_code.values())
    return report


def _resolve(code, by_code):
    if not code:
        return None
    return by_code.get(code) or Agency.objects.get(code=code)


def _check_no_cycles(agencies):
    for agency in agencies:
        seen = {agency.pk}
        node = agency
        while node.parent_id:
            if node.parent_id in seen:
                raise AgencyImportError([f"{agency.code}.parent: " + _("the parents form a cycle")])
            seen.add(node.parent_id)
            node = Agency.objects.only("pk", "parent_id").get(pk=node.parent_id)
