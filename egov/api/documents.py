"""Generated documents of a dossier: listed under the dossier, downloaded by whoever may see it."""

from django.core.exceptions import ValidationError
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.views import APIView

from egov.documents.models import Document
from egov.dossiers.selectors import get_dossier, visible_dossiers


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
    from egov.dossiers.selectors import is_applicant_side

    dossier = get_dossier(request.user, dossier_id)
    documents = dossier.documents.order_by("created_at")
    # Citizens see what they can use; staff also see what failed, to act on it.
    applicant = is_applicant_side(request.user, dossier)
    if applicant:
        documents = documents.filter(status__in=[Document.Status.READY, Document.Status.SUPERSEDED])
    return DocumentSerializer(documents, many=True, context={"request": request, "hide_errors": applicant}).data
