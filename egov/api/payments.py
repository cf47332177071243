"""The payment gateways' server-to-server notifications (IPN)."""

from django.http import HttpResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from egov.payments import services
from egov.payments.providers import get_provider


@method_decorator(csrf_exempt, name="dispatch")
class NotificationView(View):
    """Signed by the gateway, not by a user: no session, no token, no CSRF. Answered in the
    gateway's own format (VNPAY: ``{"RspCode": "00", ...}``, always HTTP 200)."""

    def get(self, request, provider):
        return self.answer(provider, request.GET)

    def post(self, request, provider):  # a gateway that posts a form rather than a query string
        return self.answer(provider, request.POST)

    @staticmethod
    def answer(provider, params):
        try:
            found = get_provider(provider)
        except LookupError:
            return HttpResponse(status=404)
        if not found.online:
            return HttpResponse(status=404)
        body, content_type = found.notification_answer(services.notified(provider, params))
        return HttpResponse(body, content_type=content_type)
