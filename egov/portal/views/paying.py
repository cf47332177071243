"""Paying a fee online: off to the gateway, and back."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from egov.common.errors import DomainError, NotFound
from egov.common.ratelimit import client_address
from egov.payments import services
from egov.payments.models import Transaction

from .applying import _messages, own_dossier


@login_required
@require_POST
def pay(request, pk):
    item = own_dossier(request, pk)
    provider = request.POST.get("provider", "")
    back = request.build_absolute_uri(reverse("portal:payment-return", args=[provider]))
    try:
        return redirect(services.start(request.user, item, provider, back, client_address(request)))
    except DomainError as exc:
        for text in _messages(exc):
            messages.error(request, text)
        return redirect("portal:dossier", pk=item.pk)


@login_required
def payment_return(request, provider):
    """The gateway sends the payer here with the signed result; the IPN may come before or after."""
    try:
        attempt = services.payer_returned(provider, request.GET)
    except (NotFound, LookupError):
        raise Http404() from None
    dossier = attempt.payment.dossier
    if dossier.applicant_id != request.user.pk:
        raise Http404()
    if attempt.status == Transaction.Status.PAID:
        messages.success(request, _("Thank you: the fee of %(amount)s đ was paid. The e-receipt is on the dossier's "
                                    "page.") % {"amount": f"{attempt.amount:,}".replace(",", ".")})  # fmt: skip
    else:
        messages.warning(request, _("The fee was not paid. You can try again, or pay at the one-stop desk."))
    return redirect("portal:dossier", pk=dossier.pk)
