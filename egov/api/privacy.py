"""The API's store of personal data (egov/privacy/stores.py): the answers it keeps so that a
repeated POST with the same Idempotency-Key gets the first answer again (egov/api/idempotency.py).
An answer to a filing names the applicant."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from egov.privacy.stores import GONE, Store

from .models import IdempotentRequest


class IdempotentReplies(Store):
    name = "api_replies"
    models = ("api.IdempotentRequest",)
    holds = _("the API's answers about your dossiers, kept a day so that a repeated request gets the same answer")
    on_erasure = GONE
    on_purge = _("deleted after a day in any case")

    def erase(self, sweep):
        about = [str(pk) for pk in sweep.dossiers]
        sweep.count(self, IdempotentRequest.objects.filter(Q(user=sweep.person) | Q(body__id__in=about)).delete()[0])

    def purge(self, sweep):
        sweep.count(self, IdempotentRequest.objects.filter(body__id=str(sweep.dossier.pk)).delete()[0])
