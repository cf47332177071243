"""Filing a dossier: a draft, its papers, then submission (the dossier gets its code)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.accounts.models import User
from egov.accounts.selectors import agencies_where
from egov.accounts.services import create_citizen
from egov.accounts.validators import validate_personal_id
from egov.agencies.models import Agency
from egov.agencies.selectors import active_agency
from egov.catalog import eform
from egov.catalog import selectors as catalog
from egov.common.errors import InvalidInput, NotAllowed, NotFound
from egov.common.vocabulary import Role
from egov.integrations import events
from egov.integrations.models import ApiClient, Scope
from workflows.registry import flow_for_procedure

from ..codes import allocate_code
from ..models import Attachment, Channel, Dossier, Payment
from ..selectors import current_attachments, dossier_for_update, is_applicant_side
from ..uploads import check_upload
from .common import log

DESK_CHANNELS = (Channel.IN_PERSON, Channel.POST)


def condition_channel(channel):
    """Conditions know three channels; a dossier from another system counts as online."""
    # A plain str: JSON Logic compares types strictly, and a TextChoices member is not a str.
    return "online" if channel == Channel.API else str(channel)


def _applicant_context(dossier):
    return eform.applicant_context(dossier.applicant, dossier.applicant_type)


@transaction.atomic
def create_draft(user, procedure_code, data=None, channel=None, applicant=None, agency_code=None):
    """A new draft under the procedure version in force now.

    A citizen files for themselves, online. An intake officer files for a walk-in or postal
    applicant (``applicant``: a user or a personal ID number) at their unit. A service
    account (another system) files on behalf of a citizen, channel ``api``.
    """
    version = catalog.version_in_force(procedure_code)
    if version is None:
        raise NotFound(_("No procedure with this code is in force."))
    spec = version.spec
    receiving = None
    if user.kind == User.Kind.CITIZEN:
        channel = channel or Channel.ONLINE
        if channel != Channel.ONLINE:
            raise InvalidInput(errors={"channel": [_("Citizens file online.")]})
        applicant = user
    elif user.kind == User.Kind.SERVICE:
        client = ApiClient.objects.filter(service_user=user).first()
        if client is None or not client.has_scope(Scope.DOSSIERS_SUBMIT):
            raise NotAllowed(_("This API client may not submit dossiers."))
        if client.procedures and procedure_code not in client.procedures:
            raise NotAllowed(_("This API client may not submit this procedure."))
        channel = Channel.API
        applicant = _match_or_create_citizen(applicant, user)
    else:
        channel = channel or Channel.IN_PERSON
        if channel not in DESK_CHANNELS:
            raise InvalidInput(errors={"channel": [_("At the desk a dossier comes in person or by post.")]})
        receiving = _desk_agency(user, agency_code)
        applicant = _resolve_applicant(applicant)
    if condition_channel(channel) not in spec.channels:
        raise InvalidInput(errors={"channel": [_("This procedure cannot be filed this way.")]})
    dossier = Dossier(
        applicant=applicant,
        created_by=user,
        version=version,
        procedure=version.procedure,
        channel=channel,
        receiving_agency=receiving,
    )
    initial = eform.prefill(spec, applicant)
    initial.update(data or {})
    dossier.data = _clean(dossier, initial, partial=True)
    dossier.save()
    log(user, "dossier.create", dossier, procedure=version.procedure.code, version=version.number)
    return dossier


def _resolve_applicant(applicant):
    if isinstance(applicant, User):
        return applicant
    if not applicant:
        raise InvalidInput(errors={"applicant": [_("Say who the applicant is (personal ID number).")]})
    found = User.objects.filter(personal_id=str(applicant), kind=User.Kind.CITIZEN, is_active=True).first()
    if found is None:
        raise InvalidInput(errors={"applicant": [_("No citizen account has this personal ID number.")]})
    return found


def _match_or_create_citizen(applicant, actor):
    """The inbound channel: another portal vouches for an identified citizen."""
    if not isinstance(applicant, dict):
        return _resolve_applicant(applicant)


    personal_id = str(applicant.get("personal_id") or "").strip()
    try:
        validate_personal_id(personal_id)
    except ValidationError as exc:
        raise InvalidInput(errors={"applicant.personal_id": exc.messages})
    found = User.objects.filter(personal_id=personal_id, kind=User.Kind.CITIZEN).first()
    if found is not None:
        return found
    if not str(applicant.get("full_name") or "").strip():
        raise InvalidInput(errors={"applicant.full_name": [_("Give the applicant's full name.")]})
    try:
        return create_citizen(
            f"citizen-{personal_id}", full_name=str(applicant["full_name"]).strip()[:150], personal_id=personal_id,
            email=str(applicant.get("email") or ""), phone=str(applicant.get("phone") or ""),
            address=str(applicant.get("address") or "")[:300], actor=actor,
        )  # fmt: skip
    except ValidationError as exc:
        raise InvalidInput(errors={f"applicant.{k}": v for k, v in exc.message_dict.items()})


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
        dossier.spec, data, _applicant_context(dossier), condition_channel(dossier.channel), partial=partial
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
    checked = check_upload(uploaded, document)
    attachment = Attachment(
        dossier=dossier,
        document_key=document.key,
        original_name=checked.original_name,
        extension=checked.extension,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=user,
    )
    attachment.file.save("upload", uploaded, save=False)
    attachment.save()
    log(user, "dossier.attach", dossier, document=document.key, sha256=checked.sha256, size=checked.size)
    return attachment


def form_problems(dossier):
    """Field errors the form would have at submission ({"data.<key>": [...]}), without saving."""
    _cleaned, errors = eform.clean(
        dossier.spec, dossier.data, _applicant_context(dossier), condition_channel(dossier.channel)
    )
    return {f"data.{key}": messages for key, messages in errors.items()}


def missing_documents(dossier):
    spec = dossier.spec
    required = eform.required_documents(
        spec, dossier.data, _applicant_context(dossier), condition_channel(dossier.channel)
    )
    present = set(current_attachments(dossier).values_list("document_key", flat=True))
    return [key for key in required if key not in present]


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
    "data", "deciding_agency", "receiving_agency", "fee_lines", "fee_amount", "payment_status", "time_limit",
    "submitted_at", "code", "search_text", "status", "updated_at",
]  # fmt: skip


@transaction.atomic
def submit(user, dossier):
    """Submit a complete draft: it gets its code and waits for intake."""
    dossier = dossier_for_update(dossier.pk)
    if dossier.applicant_id == user.pk:
        dossier.applicant = user  # the citizen filing for themselves: no need to read them again
    _check_editable(user, dossier)
    spec = dossier.spec
    errors = {}
    try:
        dossier.data = _clean(dossier, dossier.data, partial=False)
    except InvalidInput as exc:
        errors.update(exc.errors)
    missing = missing_documents(dossier)
    if missing:
        errors["documents"] = [
            _("Missing: %(name)s.") % {"name": spec.document(key).name()} for key in missing
        ]
    if errors:
        raise InvalidInput(_("The dossier is not complete yet."), code="incomplete", errors=errors)
    deciding = _deciding_agency(dossier)
    dossier.deciding_agency = deciding
    dossier.receiving_agency = _receiving_agency(dossier, deciding)
    context = eform.context_for(dossier.data, _applicant_context(dossier), condition_channel(dossier.channel))
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
        Payment.objects.create(dossier=dossier, amount=dossier.fee_amount, provider="counter")
    flow_for_procedure(spec.code).start.run(dossier=dossier)
    log(user, "dossier.submit", dossier, events.DOSSIER_SUBMITTED, channel=dossier.channel)
    return dossier


@transaction.atomic
def remove_attachment(user, dossier, attachment_id):
    """Take a paper off a draft (the file is deleted: it was never part of a submitted dossier)."""
    dossier = dossier_for_update(dossier.pk)
    _check_editable(user, dossier)
    attachment = dossier.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound()
    attachment.file.delete(save=False)
    attachment.delete()
    log(user, "dossier.detach", dossier, document=attachment.document_key)
