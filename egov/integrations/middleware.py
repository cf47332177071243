"""Every call made by an API client is audited (who, what, answer), after the response."""

from egov.audit.services import record


class ApiClientAuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        client = getattr(request, "api_client", None)
        if client is not None:
            record(client.service_user, "api.call", client,
                   after={"method": request.method, "path": request.path, "status": response.status_code})  # fmt: skip
        return response
