"""Writes to the catalogue: importing, editing drafts, publishing, copying, retiring."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.agencies.models import Agency
from egov.audit.services import record
from egov.calendar.clock import local_zone
from egov.common.errors import Conflict, InvalidInput, NotAllowed
from egov.common.text import as_map
from egov.common.text_search import fold

from .format import DefinitionError, normalise, validate
from .models import Procedure, ProcedureVersion, Sector, definition_checksum


@dataclass
class ImportResult:
    version: ProcedureVersion
    action: str  # "created", "new_version", "unchanged"
    published: bool = False

    def describe(self):
        state = self.version.get_status_display().lower()
        if self.action == "unchanged":
            text = f"{self.version.procedure.code}: unchanged (version {self.version.number}, {state})"
        elif self.action == "created":
            text = f"{self.version.procedure.code}: created version {self.version.number} ({state})"
        else:
            text = f"{self.version.procedure.code}: new version {self.version.number} ({state})"
        return text


# Where the result templates a definition may name come from: the documents app says so
# when it is ready (egov/documents/apps.py); the catalogue sits below it and never imports it.
_result_templates = None


def result_templates_from(source):
    """Install ``source()``, which returns the slugs of the known result templates."""
    global _result_templates
    _result_templates = source


def known_result_templates():
    """Result template slugs the system knows, or None while no source is installed."""
    return _result_templates() if _result_templates is not None else None


def check_definition(definition):
    """Normalise and validate; raise DefinitionError listing every problem."""
    definition = normalise(definition)
    errors = validate(
        definition,
        known_agency_codes=set(Agency.objects.filter(active=True).values_list("code", flat=True)),
        known_templates=known_result_templates(),
    )
    if errors:
        raise DefinitionError(errors)
    return definition


@transaction.atomic
def import_definition(definition, actor=None, publish=False):
    """Create the procedure or a new draft version, unless identical to the latest version."""
    definition = check_definition(definition)
    procedure, created = Procedure.objects.select_for_update().get_or_create(code=definition["code"])
    latest = procedure.versions.order_by("-number").first()
    if latest is not None and latest.checksum == definition_checksum(definition):
        result = ImportResult(latest, "unchanged")
    else:
        version = ProcedureVersion(procedure=procedure, number=(latest.number + 1) if latest else 1, created_by=actor)
        _fill(version, definition)
        version.save()
        _link_agencies(version)
        record(actor, "procedure.version_created", version, after={"number": version.number})
        result = ImportResult(version, "created" if created else "new_version")
    if publish and result.version.is_draft:
        result.version = publish_version(result.version, actor=actor)
        result.published = True
    return result


def _fill(version, definition):
    """Copy what the catalogue is queried by out of the definition."""
    version.definition = definition
    name = as_map(definition["name"])
    version.name = name["vi"][:400]
    version.name_en = name.get("en", "")[:400]
    sector_def = definition["sector"]
    sector_name = as_map(sector_def["name"])
    sector, _created = Sector.objects.get_or_create(
        code=sector_def["code"], defaults={"name": sector_name["vi"], "name_en": sector_name.get("en", "")}
    )
    version.sector = sector
    version.level = definition["level"]
    version.online_level = definition["online_level"]
    deciding = definition["agencies"]["deciding"]
    version.deciding_agency = Agency.objects.filter(code=deciding["code"]).first() if "code" in deciding else None
    version.deciding_level = deciding.get("level", version.deciding_agency.level if version.deciding_agency else "")
    version.search_text = fold(
        " ".join([definition["code"], *name.values(), *sector_name.values(), sector_def["code"]])
    )


def _link_agencies(version):
    definition = version.definition
    codes = set()
    deciding = definition["agencies"]["deciding"]
    if "code" in deciding:
        codes.add(deciding["code"])
    receiving = definition["agencies"].get("receiving", "any")
    if isinstance(receiving, list):
        codes.update(receiving)
    for step in definition["steps"]:
        codes.update(entry["agency"] for entry in step.get("consult", []))
        if step.get("at") not in (None, "deciding", "receiving"):
            codes.add(step["at"])
    version.agencies.set(Agency.objects.filter(code__in=codes))


def _local_midnight(day):
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=local_zone())


def approval_needed():
    return settings.EGOV_PUBLISH_NEEDS_APPROVAL


@transaction.atomic
def request_approval(version, actor):
    """Ask a second administrator to publish this draft (when publishing needs approval)."""
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_draft:
        raise Conflict(_("Only a draft can be published."), code="not_a_draft")
    check_definition(version.definition)
    version.approval_requested_by, version.approval_requested_at = actor, timezone.now()
    version.save(update_fields=["approval_requested_by", "approval_requested_at"])
    record(actor, "procedure.publication_requested", version, after={"number": version.number})
    return version


@transaction.atomic
def decline_approval(version, actor):
    """Take back a request for publication (its author), or decline it (another administrator)."""
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if version.approval_requested_at is None:
        raise Conflict(_("Nobody asked to publish this draft."), code="not_requested")
    before = {"asked_by": version.approval_requested_by_id}
    version.approval_requested_by = version.approval_requested_at = None
    version.save(update_fields=["approval_requested_by", "approval_requested_at"])
    record(actor, "procedure.publication_declined", version, before=before)
    return version


def _check_approval(version, actor):
    """With four eyes on, a draft is published by an administrator other than the one who
    asked, and only as it was when asked (a change clears the request)."""
    if not approval_needed():
        return
    if version.approval_requested_at is None:
        raise Conflict(_("Publishing needs a second administrator's approval: ask for it first."),
                       code="approval_required")  # fmt: skip
    if actor is None or version.approval_requested_by_id == actor.pk:
        raise NotAllowed(_("Another administrator approves what you asked to publish."))


@transaction.atomic
def publish_version(version, actor=None, effective_from=None):
    """Publish a draft. It takes new dossiers from ``effective_from`` (the definition's
    ``effective_from`` at local midnight, or now); the version before it stops then."""
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_draft:
        raise Conflict(_("Only a draft can be published."), code="not_a_draft")
    _check_approval(version, actor)
    check_definition(version.definition)  # the world may have changed since it was saved
    now = timezone.now()
    if effective_from is None and version.definition.get("effective_from"):
        effective_from = _local_midnight(datetime.date.fromisoformat(version.definition["effective_from"]))
    # Never in force retroactively: dossiers received before now were under the old version.
    version.effective_from = max(effective_from or now, now)
    version.status = ProcedureVersion.Status.PUBLISHED
    version.published_at = now
    version.published_by = actor
    version.save()
    _chain_effective_dates(version.procedure)
    record(actor, "procedure.version_published", version, after={
        "effective_from": version.effective_from, "asked_by": version.approval_requested_by_id})  # fmt: skip
    return version


def _chain_effective_dates(procedure):
    """Each published version is in force until the next one (by effective date) starts."""
    published = list(
        procedure.versions.filter(status=ProcedureVersion.Status.PUBLISHED).order_by("effective_from", "number")
    )
    if not published:
        return  # the last published version was retired: nothing is in force
    for current, following in zip(published, [*published[1:], None], strict=True):
        effective_to = following.effective_from if following else None
        if current.effective_to != effective_to:
            current.effective_to = effective_to
            current.save(update_fields=["effective_to"])


@transaction.atomic
def update_draft(version, definition, actor=None):
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_draft:
        raise Conflict(_("A published version never changes; copy it into a new draft."), code="not_a_draft")
    definition = check_definition(definition)
    if definition["code"] != version.procedure.code:
        raise InvalidInput(errors={"code": [_("The code of a procedure cannot change.")]})
    before = version.checksum
    _fill(version, definition)
    if before != definition_checksum(definition):
        # what a second administrator was asked to approve is no longer what would be published
        version.approval_requested_by = version.approval_requested_at = None
    version.save()
    _link_agencies(version)
    record(actor, "procedure.draft_updated", version, before={"checksum": before}, after={"checksum": version.checksum})
    return version


@transaction.atomic
def copy_to_draft(version, actor=None):
    """A new draft version starting from ``version``'s definition."""
    procedure = Procedure.objects.select_for_update().get(pk=version.procedure_id)
    latest = procedure.versions.order_by("-number").first()
    draft = ProcedureVersion(procedure=procedure, number=latest.number + 1, created_by=actor)
    definition = dict(version.definition)
    definition.pop("effective_from", None)
    _fill(draft, definition)
    draft.save()
    _link_agencies(draft)
    record(actor, "procedure.version_copied", draft, after={"from_version": version.number})
    return draft


@transaction.atomic
def retire_version(version, actor=None):
    """Withdraw a published version: it takes no new dossiers (running ones carry on)."""
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != ProcedureVersion.Status.PUBLISHED:
        raise Conflict(_("Only a published version can be retired."), code="not_published")
    version.status = ProcedureVersion.Status.RETIRED
    version.effective_to = min(version.effective_to or timezone.now(), timezone.now())
    version.save(update_fields=["status", "effective_to"])
    _chain_effective_dates(version.procedure)
    record(actor, "procedure.version_retired", version)
    return version


@transaction.atomic
def delete_draft(version, actor=None):
    version = ProcedureVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_draft:
        raise Conflict(_("Only a draft can be deleted."), code="not_a_draft")
    if version.dossiers.exists() if hasattr(version, "dossiers") else False:
        raise Conflict(_("This draft has dossiers."), code="in_use")
    record(actor, "procedure.draft_deleted", version)
    procedure = version.procedure
    version.delete()
    if not procedure.versions.exists():
        procedure.delete()
