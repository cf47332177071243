"""GET /api/v1/events/types/ — the catalogue of event types (public)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from egov.integrations.catalogue import describe


class EventTypesView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses=OpenApiTypes.OBJECT, summary="Event types sent by webhook, with their data schema")
    def get(self, request):
        return Response({"specversion": "1.0", "types": describe()})
