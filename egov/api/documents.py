"""Generated documents of a dossier: listed under the dossier, downloaded by whoever may see it."""

from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from egov.accounts.selectors import role_pairs
from egov.agencies.models import Agency
from egov.common.errors import InvalidInput
from egov.documents.models import Document
from egov.documents.register import render_register
from egov.dossiers.selectors import get_dossier, is_applicant_side, visible_dossiers


class DocumentSerializer(serializers.ModelSerializer):
    title = serializers.CharField(source="get_kind_display")
    download = serializers.SerializerMethodField()
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = Document
        fields = ["id", "kind", "title", "status", "verification_code", "sha256", "size", "signer", "created_at",
                  "rendered_at", "download", "verify_url", "error"]  # fmt: skip

    def get_download(self, obj) -> str | None:
        if obj.status not in (Document.Status.READY, Document.Status.SUPERSEDED):
            return None
        return self.context["request"].build_absolute_uri(f"/api/v1/documents/{obj.pk}/download/")

    def get_verify_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(f"/verify/{obj.verification_code}/")

    def to_representation(self, obj):
        data = super().to_representation(obj)
        if self.context.get("hide_errors"):
            data.pop("error")
        return data


def visible_document(user, document_id):
    try:
        document = Document.objects.select_related("dossier").get(pk=document_id)
    except (Document.DoesNotExist, ValueError, TypeError, ValidationError):
        raise NotFound()
    if document.dossier_id is None or not visible_dossiers(user).filter(pk=document.dossier_id).exists():
        raise NotFound()
    return document


class DocumentDownloadView(APIView):
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY}, summary="Download a document")
    def get(self, request, pk):
        document = visible_document(request.user, pk)
        if not document.file:
            raise NotFound()
        name = f"{document.kind}-{document.dossier.code or document.pk}.pdf"
        return FileResponse(document.file.open("rb"), content_type="application/pdf", filename=name)


def documents_payload(request, dossier_id):
    dossier = get_dossier(request.user, dossier_id)
    documents = dossier.documents.order_by("created_at")
    # Citizens see what they can use; staff also see what failed, to act on it.
    applicant = is_applicant_side(request.user, dossier)
    if applicant:
        documents = documents.filter(status__in=[Document.Status.READY, Document.Status.SUPERSEDED])
    return DocumentSerializer(documents, many=True, context={"request": request, "hide_errors": applicant}).data


class RegisterView(APIView):
    """The dossier register (Mẫu 07) of a unit for a period, as a PDF, for its staff."""

    @extend_schema(
        parameters=[
            OpenApiParameter("agency", str, required=True, description="Unit code"),
            OpenApiParameter("from", OpenApiTypes.DATE, required=True),
            OpenApiParameter("to", OpenApiTypes.DATE, required=True),
        ],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY},
        summary="Dossier register (Mẫu 07) as PDF",
    )
    def get(self, request):
        from django.http import HttpResponse
        from django.utils.dateparse import parse_date


        params = request.query_params
        agency = Agency.objects.filter(code=params.get("agency", "")).first()
        start, end = parse_date(params.get("from") or ""), parse_date(params.get("to") or "")
        errors = {}
        if agency is None:
            errors["agency"] = [_("Unknown unit code.")]
        if start is None or end is None or end < start or (end - start).days > 366:
            errors["period"] = [_("Give from and to dates (YYYY-MM-DD), at most a year apart.")]
        if errors:
            raise InvalidInput(errors=errors)
        if not request.user.is_superuser and agency.pk not in {a for _role, a in role_pairs(request.user)}:
            raise NotFound()
        response = HttpResponse(render_register(agency, start, end), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="register-{agency.code}-{start}-{end}.pdf"'
        return response
