"""The procedure catalogue: GET /api/v1/procedures/ and /api/v1/procedures/{code}/.

The published catalogue is public. Procedure administrators also see drafts
(``?status=draft`` on the list, ``?version=N`` on a procedure).
"""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import AllowAny

from egov.accounts.selectors import is_procedure_admin
from egov.agencies.models import Agency
from egov.catalog import selectors
from egov.catalog.definition import summarise_time_limit
from egov.catalog.diagram import bpmn_of, svg_of
from egov.catalog.models import ProcedureVersion
from egov.common.text import as_map, localize


class ProcedureSummarySerializer(serializers.ModelSerializer):
    code = serializers.CharField(source="procedure.code")
    version = serializers.IntegerField(source="number")
    name = serializers.SerializerMethodField()
    names = serializers.SerializerMethodField()
    sector = serializers.SerializerMethodField()
    state = serializers.SerializerMethodField()
    time_limit = serializers.SerializerMethodField()
    fees = serializers.SerializerMethodField()
    channels = serializers.SerializerMethodField()
    deciding_agency = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = ProcedureVersion
        fields = [
            "code", "version", "name", "names", "sector", "level", "online_level", "status", "state",
            "effective_from", "effective_to", "time_limit", "fees", "channels", "deciding_agency", "url",
        ]  # fmt: skip

    def get_name(self, obj) -> str:
        return obj.display_name

    def get_names(self, obj) -> dict[str, str]:
        return as_map(obj.definition["name"])

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_sector(self, obj):
        return {"code": obj.sector.code, "name": obj.sector.display_name}

    def get_state(self, obj) -> str:
        return str(obj.state_label())

    def get_time_limit(self, obj) -> list[str]:
        """Plain-language time limit, one line per case."""
        return [summarise_time_limit(case) for case in obj.spec.time_limit_cases]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_fees(self, obj):
        amounts = [fee["amount"] for fee in obj.spec.fees]
        return {
            "free": not amounts or max(amounts) == 0,
            "min": min(amounts) if amounts else 0,
            "max": max(amounts) if amounts else 0,
            "currency": "VND",
            "lines": [
                {
                    "code": fee["code"],
                    "name": localize(fee["name"]),
                    "amount": fee["amount"],
                    "conditional": "when" in fee,
                }
                for fee in obj.spec.fees
            ],
        }

    def get_channels(self, obj) -> list[str]:
        return list(obj.spec.channels)

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_deciding_agency(self, obj):
        if obj.deciding_agency_id:
            return {"code": obj.deciding_agency.code, "name": obj.deciding_agency.display_name}
        return {"level": obj.deciding_level, "chosen_in_field": obj.spec.deciding.get("from_field")}

    def get_url(self, obj) -> str:
        request = self.context.get("request")
        path = f"/api/v1/procedures/{obj.procedure.code}/"
        return request.build_absolute_uri(path) if request else path


class ProcedureDetailSerializer(ProcedureSummarySerializer):
    definition = serializers.JSONField(help_text=_("The definition in the procedure format, version 1."))
    documents = serializers.SerializerMethodField()

    class Meta(ProcedureSummarySerializer.Meta):
        fields = [*ProcedureSummarySerializer.Meta.fields, "documents", "definition"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_documents(self, obj):
        return [
            {
                "key": doc.key,
                "name": doc.name(),
                "kind": doc.kind,
                "quantity": doc.quantity,
                "required": doc.required,
                "file_types": list(doc.file_types),
                "max_mb": doc.max_mb,
            }
            for doc in obj.spec.documents
        ]


LIST_PARAMETERS = [
    OpenApiParameter("q", str, description="Text search; Vietnamese diacritics are folded (dang ky = đăng ký)."),
    OpenApiParameter("sector", str, description="Sector code."),
    OpenApiParameter("level", str, enum=["central", "province", "commune"]),
    OpenApiParameter("online_level", str, enum=["full", "partial"]),
    OpenApiParameter("agency", str, description="Unit code of an agency involved (deciding, receiving or consulted)."),
    OpenApiParameter("status", str, enum=["in_force", "draft"], description="draft: procedure administrators only."),
]


CODE_PARAMETER = OpenApiParameter(
    "code", str, OpenApiParameter.PATH, description="National procedure code, e.g. 1.001193"
)
VERSION_PARAMETER = OpenApiParameter("version", int, description="A version number (drafts: procedure administrators).")


class ProcedureViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [AllowAny]
    lookup_field = "code"
    lookup_value_regex = r"[0-9A-Za-z.]+"

    def get_serializer_class(self):
        return ProcedureDetailSerializer if self.action == "retrieve" else ProcedureSummarySerializer

    def _filters(self):
        params = self.request.query_params
        agency = None
        if params.get("agency"):
            agency = Agency.objects.filter(code=params["agency"]).first()
            if agency is None:
                raise ValidationError({"agency": [_("No agency has this code.")]})
        for key, allowed in (("level", ProcedureVersion.Level.values), ("online_level", ("full", "partial"))):
            if params.get(key) and params[key] not in allowed:
                raise ValidationError({key: [_("Must be one of %(values)s.") % {"values": ", ".join(allowed)}]})
        return {
            "text": params.get("q", ""),
            "sector": params.get("sector") or None,
            "level": params.get("level") or None,
            "online_level": params.get("online_level") or None,
            "agency": agency,
        }

    def get_queryset(self):
        status = self.request.query_params.get("status", "in_force")
        if status == "draft":
            if not is_procedure_admin(self.request.user):
                raise NotFound()
            base = ProcedureVersion.objects.filter(status=ProcedureVersion.Status.DRAFT)
        elif status == "in_force":
            base = selectors.in_force()
        else:
            raise ValidationError({"status": [_("Must be in_force or draft.")]})
        return (
            selectors.search(base, **self._filters())
            .select_related("procedure", "sector", "deciding_agency")
            .order_by("sector__name", "name", "procedure__code", "number")
        )

    @extend_schema(parameters=LIST_PARAMETERS, summary="The published catalogue", tags=["catalogue"])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(
        parameters=[CODE_PARAMETER, VERSION_PARAMETER],
        summary="A procedure with its definition",
        tags=["catalogue"],
    )
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        parameters=[CODE_PARAMETER, VERSION_PARAMETER],
        responses={(200, "application/xml"): OpenApiTypes.STR},
        summary="The procedure's path as BPMN 2.0 XML",
        description="The path of the version in force (or ``?version=N``) with its diagram interchange, "
        "for a BPMN modeller. ``manage.py export_procedure CODE --format bpmn`` writes the same.",
        tags=["catalogue"],
    )
    @action(detail=True, url_path="bpmn")
    def bpmn(self, request, code=None):
        version = self.get_object()
        response = HttpResponse(bpmn_of(version), content_type="application/xml; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{version.procedure.code}-v{version.number}.bpmn"'
        return response

    @extend_schema(
        parameters=[CODE_PARAMETER, VERSION_PARAMETER],
        responses={(200, "image/svg+xml"): OpenApiTypes.STR},
        summary="The procedure's path as an SVG picture",
        tags=["catalogue"],
    )
    @action(detail=True, url_path="diagram")
    def diagram(self, request, code=None):
        version = self.get_object()
        return HttpResponse(svg_of(version), content_type="image/svg+xml; charset=utf-8")

    def get_object(self):
        code = self.kwargs["code"]
        number = self.request.query_params.get("version")
        if number is None:
            version = selectors.version_in_force(code)
        else:
            if not number.isdigit():
                raise ValidationError({"version": [_("A version is a whole number.")]})
            version = selectors.versions_of(code).filter(number=int(number)).first()
            if version is not None and version.is_draft and not is_procedure_admin(self.request.user):
                version = None
        if version is None:
            raise NotFound()
        return version
