"""Filing a dossier: a draft, its papers, then submission (the dossier gets its code)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.consent import consent_text, record_consent
from egov.accounts.models import User
from egov.accounts.selectors import agencies_where
from egov.agencies.models import Agency
from egov.agencies.selectors import active_agency
from egov.audit import services as audit
from egov.catalog import eform
from egov.catalog import selectors as catalog
from egov.catalog.compare import changes_for_applicant
from egov.catalog.models import ProcedureVersion
from egov.common.errors import Conflict, InvalidInput, NotAllowed, NotFound
from egov.common.ratelimit import Limit
from egov.common.vocabulary import DESK_CHANNELS, Role
from egov.integrations import events
from egov.integrations.models import ApiClient, Scope
from workflows.registry import flow_for_procedure

from .. import applicants
from ..codes import allocate_code
from ..models import Attachment, Channel, Dossier, Payment
from ..selectors import current_attachments, dossier_for_update, is_applicant_side
from ..uploads import check_upload
from . import parties
from .common import log


def condition_channel(channel):
    """Conditions know three channels; a dossier from another system counts as online."""
    # A plain str: JSON Logic compares types strictly, and a TextChoices member is not a str.
    return "online" if channel == Channel.API else str(channel)


def create_draft(user, procedure_code, data=None, channel=None, applicant=None, agency_code=None, representative=None):
    """A new draft under the procedure version in force now.

    A citizen files online, for themselves or as a representative (for another person, or
    for an organisation they may file for). An intake officer files for a walk-in or postal
    applicant at their unit, with the person standing for them if it is someone else. A
    service account (another system) files on behalf of a citizen or an organisation,
    channel ``api``. ``applicant`` and ``representative`` are read by services/parties.py;
    who the parties are is settled first, so that a refused match leaves its audit record.
    """
    version = catalog.version_in_force(procedure_code)
    if version is None:
        raise NotFound(_("No procedure with this code is in force."))
    parties.check_served(parties.kind_of(applicant), version.spec)
    receiving = None
    if user.kind == User.Kind.CITIZEN:
        channel = channel or Channel.ONLINE
        if channel != Channel.ONLINE:
            raise InvalidInput(errors={"channel": [_("Citizens file online.")]})
        if Dossier.objects.filter(created_by=user, status=Dossier.Status.DRAFT).count() >= settings.EGOV_MAX_DRAFTS:
            raise InvalidInput(_("You have %(n)d drafts already: submit or delete one first.")
                               % {"n": settings.EGOV_MAX_DRAFTS}, code="quota")  # fmt: skip
        who = parties.for_citizen(user, applicant)
    elif user.kind == User.Kind.SERVICE:
        client = ApiClient.objects.filter(service_user=user).first()
        if client is None or not client.has_scope(Scope.DOSSIERS_SUBMIT):
            raise NotAllowed(_("This API client may not submit dossiers."))
        if client.procedures and procedure_code not in client.procedures:
            raise NotAllowed(_("This API client may not submit this procedure."))
        channel = Channel.API
        who = parties.for_client(user, applicant)
    else:
        channel = channel or Channel.IN_PERSON
        if channel not in DESK_CHANNELS:
            raise InvalidInput(errors={"channel": [_("At the desk a dossier comes in person or by post.")]})
        receiving = _desk_agency(user, agency_code)
        who = parties.for_desk(user, applicant, representative)
    return _new_draft(user, version, channel, who, receiving, data)


@transaction.atomic
def _new_draft(user, version, channel, who, receiving, data):
    spec = version.spec
    if condition_channel(channel) not in spec.channels:
        raise InvalidInput(errors={"channel": [_("This procedure cannot be filed this way.")]})
    dossier = Dossier(
        applicant=who.applicant,
        applicant_type=who.applicant_type,
        organization=who.organization,
        representative=who.representative,
        created_by=user,
        version=version,
        procedure=version.procedure,
        channel=channel,
        receiving_agency=receiving,
    )
    context = applicants.condition_context(dossier)
    initial = eform.prefill(spec, context)
    # A value copied from the account that the form would refuse (a phone written the old
    # way) is left for the applicant to type, rather than stopping the draft.
    _valid, refused = eform.clean(spec, initial, context, condition_channel(channel), partial=True)
    initial = {key: value for key, value in initial.items() if key not in refused}
    initial.update(data or {})
    dossier.data = _clean(dossier, initial, partial=True)
    dossier.save()
    log(user, "dossier.create", dossier, procedure=version.procedure.code, version=version.number,
        applicant_type=who.applicant_type, represented=who.representative is not None)  # fmt: skip
    return dossier


def _desk_agency(user, agency_code):
    desks = agencies_where(user, Role.INTAKE_OFFICER)
    if not desks:
        raise NotAllowed(_("Only an intake officer files dossiers at the desk."))
    if agency_code:
        agency = Agency.objects.filter(code=agency_code, pk__in=desks).first()
        if agency is None:
            raise InvalidInput(errors={"agency": [_("You are not an intake officer at this unit.")]})
        return agency
    if len(desks) > 1:
        raise InvalidInput(errors={"agency": [_("You work at several desks: say which one.")]})
    return Agency.objects.get(pk=next(iter(desks)))


def _clean(dossier, data, partial):
    cleaned, errors = eform.clean(
        dossier.spec, data, applicants.condition_context(dossier), condition_channel(dossier.channel), partial=partial
    )
    if errors:
        raise InvalidInput(errors={f"data.{key}": messages for key, messages in errors.items()})
    return cleaned


def _check_editable(user, dossier):
    if not is_applicant_side(user, dossier):
        raise NotAllowed()
    if dossier.status != Dossier.Status.DRAFT:
        raise InvalidInput(_("Only a draft can be edited."), code="not_a_draft")


@transaction.atomic
def update_draft(user, dossier, data):
    """Merge ``data`` into the draft's form values (a value of null clears a field)."""
    dossier = dossier_for_update(dossier.pk)
    _check_editable(user, dossier)
    if not isinstance(data, dict):
        raise InvalidInput(errors={"data": [_("Form data must be an object of field values.")]})
    merged = {**dossier.data, **data}
    merged = {key: value for key, value in merged.items() if value is not None}
    dossier.data = _clean(dossier, merged, partial=True)
    dossier.save(update_fields=["data", "updated_at"])
    log(user, "dossier.update_draft", dossier, fields=sorted(data))
    return dossier


@transaction.atomic
def add_attachment(user, dossier, document_key, uploaded):
    """Attach a paper to a draft, or to a dossier whose applicant was asked to supplement it."""
    dossier = dossier_for_update(dossier.pk)
    if not is_applicant_side(user, dossier):
        raise NotAllowed()
    if dossier.status not in (Dossier.Status.DRAFT, Dossier.Status.SUPPLEMENT_REQUESTED):
        raise InvalidInput(_("Papers can be added to a draft or when a supplement is requested."), code="locked")
    document = dossier.spec.document(document_key or "")
    if document is None:
        raise InvalidInput(errors={"document": [_("This procedure asks for no such document.")]})
    if uploaded is None:
        raise InvalidInput(errors={"file": [_("Choose a file of at most %(mb)s MB.") % {"mb": document.max_mb}]})
    _check_upload_quotas(user, dossier, document, uploaded)
    checked = check_upload(uploaded, document)
    attachment = Attachment(
        dossier=dossier,
        document_key=document.key,
        original_name=checked.original_name,
        extension=checked.extension,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        original_size=checked.original_size,
        original_sha256=checked.original_sha256,
        uploaded_by=user,
    )
    # What is stored (and served) is the checked copy, for a PDF not the bytes received.
    attachment.file.save("upload", ContentFile(checked.content), save=False)
    attachment.save()
    log(user, "dossier.attach", dossier, document=document.key, sha256=checked.sha256, size=checked.size,
        original_sha256=checked.original_sha256, original_size=checked.original_size)  # fmt: skip
    return attachment


def _check_upload_quotas(user, dossier, document, uploaded):
    """What may be uploaded: files per paper and per dossier; for a citizen, bytes in all and
    how fast (settings EGOV_MAX_*, EGOV_UPLOAD_RATE). Beyond them nothing is stored."""
    papers = dossier.attachments.filter(replaced_at__isnull=True)
    if papers.filter(document_key=document.key).count() >= settings.EGOV_MAX_FILES_PER_DOCUMENT:
        raise InvalidInput(errors={"file": [_("This paper has %(n)d files already; remove one first.")
                                            % {"n": settings.EGOV_MAX_FILES_PER_DOCUMENT}]}, code="quota")  # fmt: skip
    if papers.count() >= settings.EGOV_MAX_FILES_PER_DOSSIER:
        raise InvalidInput(errors={"file": [_("This dossier has %(n)d files already; remove one first.")
                                            % {"n": settings.EGOV_MAX_FILES_PER_DOSSIER}]}, code="quota")  # fmt: skip
    if user.kind != User.Kind.CITIZEN:
        return  # officers at the desk and other systems upload for many people
    held = Attachment.objects.filter(uploaded_by=user).aggregate(total=Sum("size"))["total"] or 0
    if held + (uploaded.size or 0) > settings.EGOV_MAX_UPLOAD_BYTES_PER_USER:
        raise InvalidInput(errors={"file": [_("You have uploaded %(mb)d MB in all, the most one account may keep.")
                                            % {"mb": settings.EGOV_MAX_UPLOAD_BYTES_PER_USER // 2**20}]},
                           code="quota")  # fmt: skip
    if not Limit("uploads", settings.EGOV_UPLOAD_RATE).hit(user.pk):
        raise InvalidInput(_("Too many uploads in a short time; wait a little and try again."), code="throttled")


def condition_context(dossier):
    """What the definition's conditions (fees, time limits) read for ``dossier``."""
    return eform.context_for(dossier.data, applicants.condition_context(dossier), condition_channel(dossier.channel))


def form_problems(dossier, spec=None):
    """Field errors the form would have at submission ({"data.<key>": [...]}), without saving;
    under ``spec`` when given (another version of the procedure), else the dossier's own."""
    _cleaned, errors = eform.clean(
        spec or dossier.spec, dossier.data, applicants.condition_context(dossier), condition_channel(dossier.channel)
    )
    return {f"data.{key}": messages for key, messages in errors.items()}


def missing_documents(dossier, spec=None):
    spec = spec or dossier.spec
    required = eform.required_documents(
        spec, dossier.data, applicants.condition_context(dossier), condition_channel(dossier.channel)
    )
    present = set(current_attachments(dossier).values_list("document_key", flat=True))
    return [key for key in required if key not in present]


@transaction.atomic
def adopt_rules_in_force(user, dossier, accept_version):
    """The applicant read what changed and moves their draft to the version in force
    (``accept_version``: its id, as the refusal named it); kept even if the draft then lacks
    something the new rules ask for, so that the form shows the new questions."""
    dossier = dossier_for_update(dossier.pk)
    _check_editable(user, dossier)
    return _to_version_in_force(dossier, accept_version, save=True)


def _to_version_in_force(dossier, accept_version=None, save=False):
    current = catalog.version_in_force(dossier.procedure.code)
    if current is None:
        coming = (ProcedureVersion.objects.filter(procedure_id=dossier.procedure_id, effective_from__gt=timezone.now(),
                                                  status=ProcedureVersion.Status.PUBLISHED)
                  .order_by("effective_from").first())  # fmt: skip
        message = _("This procedure is no longer in force and takes no new dossier.")
        if coming is not None:
            message += " " + _("A new version takes dossiers from %(date)s; file it again then.") % {
                "date": timezone.localtime(coming.effective_from).strftime("%d/%m/%Y")
            }
        raise Conflict(message, code="procedure_retired")
    if current.pk == dossier.version_id:
        return dossier
    changes = changes_for_applicant(dossier.spec, current.spec)
    if changes and str(accept_version or "") != str(current.pk):
        raise InvalidInput(_("The rules of this procedure changed since you started: read what changed and "
                             "confirm to file under the rules in force."), code="version_changed",
                           errors={"version": changes, "accept_version": [str(current.pk)]})  # fmt: skip
    audit.record(None, "dossier.version_repinned", dossier, before={"version": dossier.version_id},
           after={"version": current.pk})  # fmt: skip
    dossier.version = current
    dossier.data = {key: value for key, value in (dossier.data or {}).items() if current.spec.field(key)}
    if save:
        dossier.save(update_fields=["version", "data", "updated_at"])
    return dossier


def _deciding_agency(dossier):
    code = dossier.spec.deciding_code(dossier.data)
    agency = active_agency(code)
    if agency is None:
        field = dossier.spec.deciding.get("from_field", "agencies")
        raise InvalidInput(errors={f"data.{field}": [_("Choose the agency that decides this dossier.")]})
    return agency


def _receiving_agency(dossier, deciding):
    if dossier.receiving_agency_id:  # filed at a desk: that desk received it
        return dossier.receiving_agency
    receiving = dossier.spec.receiving
    if receiving == "any":
        if deciding.level == Agency.Level.COMMUNE:
            return deciding
        return deciding.service_centre_of_province() or deciding
    units = list(Agency.objects.filter(code__in=receiving, active=True))
    for unit in units:
        if unit.pk == deciding.pk:
            return unit
    if not units:
        raise InvalidInput(_("No unit can receive this procedure at the moment."), code="no_receiving_unit")
    return sorted(units, key=lambda unit: receiving.index(unit.code))[0]


# What a submission writes on the dossier (the rest was written while it was a draft).
SUBMISSION_FIELDS = [
    "version", "data", "deciding_agency", "receiving_agency", "fee_lines", "fee_amount", "payment_status", "time_limit",
    "submitted_at", "code", "search_text", "status", "updated_at",
]  # fmt: skip


@transaction.atomic
def submit(user, dossier, *, consent=False):
    """Submit a complete draft: it gets its code and waits for intake.

    A citizen filing for themselves agrees to the processing of the data in it first (Law
    91/2025/QH15), by whatever door they come (the portal's box, the API's ``consent``); the
    agreement is kept with the dossier in the words they were shown. At the desk the
    applicant signs the paper form; a service client files under its own agreement.

    A dossier is handled under the rules in force when it is received: a draft started under
    an earlier version is filed under the version in force now, its answers carried over where
    the question still exists; when the form, papers, fees or time limit changed, the
    applicant confirms first (:func:`adopt_rules_in_force`). A retired procedure takes no
    dossier.
    """
    if user.kind == User.Kind.CITIZEN and not consent:
        # The answer carries the very text to agree to, for an app to show with its tick box.
        raise InvalidInput(_("Agree to the processing of your personal data to submit the dossier."),
                           code="consent_required", errors={"consent": [consent_text("application")]})  # fmt: skip
    dossier = dossier_for_update(dossier.pk)
    if dossier.applicant_id == user.pk:
        dossier.applicant = user  # the citizen filing for themselves: no need to read them again
    _check_editable(user, dossier)
    _to_version_in_force(dossier)
    spec = dossier.spec
    errors = {}
    try:
        dossier.data = _clean(dossier, dossier.data, partial=False)
    except InvalidInput as exc:
        errors.update(exc.errors)
    missing = missing_documents(dossier)
    if missing:
        errors["documents"] = [_("Missing: %(name)s.") % {"name": spec.document(key).name()} for key in missing]
    if errors:
        raise InvalidInput(_("The dossier is not complete yet."), code="incomplete", errors=errors)
    deciding = _deciding_agency(dossier)
    dossier.deciding_agency = deciding
    dossier.receiving_agency = _receiving_agency(dossier, deciding)
    context = condition_context(dossier)
    lines = spec.fee_lines(context)
    dossier.fee_lines = [{"code": fee["code"], "name": fee["name"], "amount": fee["amount"]} for fee in lines]
    dossier.fee_amount = sum(fee["amount"] for fee in lines)
    dossier.payment_status = Dossier.Payment.PENDING if dossier.fee_amount else Dossier.Payment.NOT_REQUIRED
    dossier.time_limit = spec.time_limit_for(context)
    now = timezone.now()
    dossier.submitted_at = now
    dossier.code = allocate_code(dossier.receiving_agency, now)
    dossier.set_search_text()
    dossier.status = Dossier.Status.SUBMITTED
    dossier.save(update_fields=SUBMISSION_FIELDS)
    if dossier.fee_amount:
        # Who takes the money is known when it is taken: the counter, or an online provider.
        Payment.objects.create(dossier=dossier, amount=dossier.fee_amount, provider="")
    flow_for_procedure(spec.code).start.run(dossier=dossier)
    if user.kind == User.Kind.CITIZEN:
        record_consent(user, "application", reference=dossier.pk)
    log(user, "dossier.submit", dossier, events.DOSSIER_SUBMITTED, channel=dossier.channel)
    return dossier


@transaction.atomic
def remove_attachment(user, dossier, attachment_id):
    """Take a paper off a draft (the file is deleted: it was never part of a submitted dossier)."""
    dossier = dossier_for_update(dossier.pk)
    _check_editable(user, dossier)
    try:
        attachment = dossier.attachments.filter(pk=attachment_id).first()
    except ValidationError:  # not an attachment id at all
        attachment = None
    if attachment is None:
        raise NotFound()
    attachment.file.delete(save=False)
    attachment.delete()
    log(user, "dossier.detach", dossier, document=attachment.document_key)
