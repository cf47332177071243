"""What the applicant does once a dossier is submitted: answer a supplement request, withdraw."""

from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from egov.common.errors import InvalidInput, NotAllowed
from egov.integrations import events
from workflows.models import OPEN_TASK_STATUSES, DossierTask

from .. import status
from ..models import Dossier, Payment
from ..selectors import dossier_for_update, is_applicant_side, open_supplement
from . import clock
from .applying import _clean
from .common import log


@contextmanager
def _locked(dossier):
    """The dossier reloaded under its row lock, then its process under viewflow's lock: the
    order every writer of a dossier follows (egov.dossiers.selectors.task_for_update)."""
    with transaction.atomic():
        dossier = dossier_for_update(dossier.pk)
        with dossier.process.flow_class.lock(dossier.process.pk):
            yield dossier


def answer_supplement(user, dossier, data=None, note=""):
    """Send the papers and corrections asked for; the dossier goes back where it was."""
    if not is_applicant_side(user, dossier):
        raise NotAllowed()
    with _locked(dossier) as dossier:
        request = open_supplement(dossier)
        if request is None:
            raise InvalidInput(_("No supplement is requested for this dossier."), code="no_supplement_requested")
        data = data or {}
        if not isinstance(data, dict):
            raise InvalidInput(errors={"data": [_("Form data must be an object of field values.")]})
        not_listed = sorted(set(data) - set(request.fields))
        if not_listed:
            raise InvalidInput(errors={f"data.{key}": [_("This field was not asked to be corrected.")]
                                       for key in not_listed})  # fmt: skip
        now = timezone.now()
        new_papers = dossier.attachments.filter(replaced_at__isnull=True, uploaded_at__gte=request.requested_at)
        supplied = set(new_papers.values_list("document_key", flat=True))
        missing = [key for key in request.documents if key not in supplied]
        if missing:
            raise InvalidInput(
                _("Upload every paper asked for before answering."),
                code="incomplete",
                errors={"documents": [_("Missing: %(name)s.") % {"name": dossier.spec.document(key).name()}
                                      for key in missing]},
            )  # fmt: skip
        merged = {**dossier.data, **data}
        dossier.data = _clean(dossier, {k: v for k, v in merged.items() if v is not None}, partial=False)
        # Amendments keep their history: older papers of the listed documents stay, marked replaced.
        dossier.attachments.filter(
            document_key__in=request.documents, uploaded_at__lt=request.requested_at, replaced_at__isnull=True
        ).update(replaced_at=now)
        request.answered_at = now
        request.answer_note = (note or "").strip()
        request.save(update_fields=["answered_at", "answer_note"])
        if request.stage == request.Stage.HANDLING:
            clock.resume(dossier, now)
        # Back where it was asked: intake, or the step at the process's position.
        at_intake = request.stage == request.Stage.INTAKE
        dossier.status = Dossier.Status.SUBMITTED if at_intake else status.at_step(dossier.process)
        dossier.save()
        waiting = DossierTask.objects.filter(
            dossier=dossier, flow_task_type="FUNCTION", status__in=OPEN_TASK_STATUSES
        ).first()
        waiting.flow_task.run(waiting)  # the flow opens that task again (workflows/flows.py)
        log(user, "dossier.answer_supplement", dossier, events.SUPPLEMENT_ANSWERED,
            documents=request.documents, fields=sorted(data))  # fmt: skip
        return dossier


def withdraw(user, dossier, reason=""):
    """The applicant stops the dossier wherever it stands (a stop-processing notice follows)."""
    if not is_applicant_side(user, dossier):
        raise NotAllowed()
    with transaction.atomic():
        dossier = dossier_for_update(dossier.pk)
        if dossier.status == Dossier.Status.DRAFT:
            raise InvalidInput(_("A draft is not submitted; delete it instead."), code="draft")
        if not dossier.is_open or dossier.status == Dossier.Status.READY_FOR_RETURN:
            raise InvalidInput(_("This dossier can no longer be withdrawn."), code="not_open")
        now = timezone.now()
        dossier.process.flow_class.instance.cancel(dossier.process)
        dossier.clock_pauses.filter(ended_at__isnull=True).update(ended_at=now)
        dossier.supplement_requests.filter(answered_at__isnull=True).update(answered_at=now, answer_note=_("Withdrawn"))
        dossier.payments.filter(status=Payment.Status.PENDING).update(status=Payment.Status.CANCELLED)
        dossier.status = Dossier.Status.WITHDRAWN
        dossier.completed_at = now
        dossier.decision_note = (reason or "").strip()
        dossier.save()
        # The reason is free text: on the dossier and in the audit record, never in the event.
        log(user, "dossier.withdraw", dossier, events.WITHDRAWN, note=dossier.decision_note)
        return dossier


@transaction.atomic
def rate(user, dossier, score, comment=""):
    """Rate the service once the result is returned; once per dossier."""
    from ..models import Rating

    if dossier.applicant_id != user.pk:
        raise NotAllowed()
    if dossier.status != Dossier.Status.RETURNED:
        raise InvalidInput(_("You can rate the service once the result is returned."), code="not_returned")
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise InvalidInput(errors={"score": [_("Choose from 1 to 5.")]})
    if Rating.objects.filter(dossier=dossier).exists():
        raise InvalidInput(_("This dossier has already been rated."), code="already_rated")
    rating = Rating.objects.create(dossier=dossier, score=score, comment=(comment or "").strip()[:2000])
    log(user, "dossier.rate", dossier, events.RATED, score=score)
    return rating
