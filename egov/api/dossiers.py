"""Dossiers: /api/v1/dossiers/… and public tracking POST /api/v1/track/.

Views translate HTTP to service calls; visibility comes from egov.dossiers.selectors, so
someone else's dossier is a 404 exactly like an unknown one.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from egov.api.documents import DocumentSerializer, documents_payload
from egov.api.idempotency import IdempotentPostMixin
from egov.api.parsers import JSONParser
from egov.common.text import localize
from egov.dossiers import applicants, selectors, services
from egov.dossiers.models import Channel, Dossier
from egov.dossiers.timeline import timeline
from egov.integrations.models import Scope


def _local(moment):
    """Times are shown with the Vietnamese offset (+07:00), as the serializers do."""
    return timezone.localtime(moment) if moment else None


def _agency(agency):
    return {"code": agency.code, "name": agency.display_name} if agency else None


class AttachmentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    document = serializers.CharField(source="document_key")
    name = serializers.CharField(source="original_name")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    uploaded_at = serializers.DateTimeField()
    replaced_at = serializers.DateTimeField()


class DossierSerializer(serializers.ModelSerializer):
    procedure = serializers.SerializerMethodField()
    status_label = serializers.CharField(source="get_status_display")
    applicant = serializers.SerializerMethodField()
    representative = serializers.SerializerMethodField()
    receiving_agency = serializers.SerializerMethodField()
    deciding_agency = serializers.SerializerMethodField()
    fee = serializers.SerializerMethodField()
    lookup_key = serializers.SerializerMethodField()
    supplement_request = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Dossier
        fields = [
            "id", "code", "lookup_key", "url", "procedure", "channel", "status", "status_label", "applicant",
            "representative", "data",
            "receiving_agency", "deciding_agency", "created_at", "submitted_at", "accepted_at", "due_at",
            "extended_due_at", "issued_at", "completed_at", "timeliness", "time_limit", "fee", "decision_note",
            "supplement_request", "restricted_at", "purged_at",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_procedure(self, obj):
        return {"code": obj.procedure.code, "version": obj.version.number, "name": obj.version.display_name}

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_applicant(self, obj):
        # Who the dossier is for: type individual, organization (name, tax code, legal
        # representative) or foreigner (passport and nationality).
        record = applicants.of_record(obj)
        shown = ("type", "full_name", "personal_id", "tax_code", "legal_representative", "passport_number",
                 "nationality")  # fmt: skip
        return {key: record[key] for key in shown if key in record}

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_representative(self, obj):
        """Who filed on the applicant's behalf (with an authorisation paper), or null."""
        return applicants.of_record(obj)["representative"]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_receiving_agency(self, obj):
        return _agency(obj.receiving_agency)

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_deciding_agency(self, obj):
        return _agency(obj.deciding_agency)

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_fee(self, obj):
        return {
            "amount": obj.fee_amount,
            "currency": "VND",
            "lines": [{"code": line["code"], "name": localize(line["name"]), "amount": line["amount"]}
                      for line in obj.fee_lines],
            "payment_status": obj.payment_status,
        }  # fmt: skip

    def get_lookup_key(self, obj) -> str | None:
        # Printed on the receipt; only the applicant's side sees it through the API.
        user = self.context["request"].user
        return obj.lookup_key if obj.code and selectors.is_applicant_side(user, obj) else None

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_supplement_request(self, obj):
        request = selectors.open_supplement(obj) if obj.status == Dossier.Status.SUPPLEMENT_REQUESTED else None
        if request is None:
            return None
        spec = obj.spec
        return {
            "requested_at": request.requested_at,
            "reason": request.reason,
            "documents": [{"key": key, "name": spec.document(key).name()} for key in request.documents],
            "fields": [{"key": key, "label": spec.field(key).label()} for key in request.fields],
        }

    def get_url(self, obj) -> str:
        return self.context["request"].build_absolute_uri(f"/api/v1/dossiers/{obj.pk}/")


class DossierDetailSerializer(DossierSerializer):
    attachments = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()
    control_slip = serializers.SerializerMethodField()
    open_tasks = serializers.SerializerMethodField()

    class Meta(DossierSerializer.Meta):
        fields = DossierSerializer.Meta.fields + ["attachments", "history", "control_slip", "open_tasks"]

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, obj):
        return AttachmentSerializer(obj.attachments.order_by("uploaded_at"), many=True).data

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_history(self, obj):
        return timeline(obj)

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_control_slip(self, obj):
        # The applicant sees where their dossier went and when (review L14); the officers'
        # names and the notes they leave one another stay between officers.
        internal = not selectors.is_applicant_side(self.context["request"].user, obj)
        return [
            {
                "step": row.step_key,
                "step_name": localize(row.step_name) if row.step_name else row.step_key,
                "agency": _agency(row.agency),
                "receiver_role": row.receiver_role,
                "receiver_agency": _agency(row.receiver_agency),
                "handed_at": row.handed_at,
                "step_due_at": row.step_due_at,
                "timeliness": row.timeliness,
                "outcome": row.outcome,
                **({"giver": row.giver.full_name if row.giver else None, "note": row.note} if internal else {}),
            }
            for row in selectors.control_slip(obj)
        ]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_open_tasks(self, obj):
        if selectors.is_applicant_side(self.context["request"].user, obj):
            return []
        return [
            {"id": task.pk, "step": task.step_key, "role": task.role, "agency": _agency(task.agency),
             "owner": task.owner.username if task.owner else None, "due_at": task.due_at}
            for task in selectors.open_tasks(obj)
        ]  # fmt: skip


class DossierCreateSerializer(serializers.Serializer):
    procedure = serializers.CharField(help_text=_("Procedure code, e.g. 2.000575"))
    data = serializers.DictField(required=False, default=dict)
    channel = serializers.ChoiceField(choices=Channel.choices, required=False)
    applicant = serializers.JSONField(
        required=False,
        help_text=_(
            "Whom the dossier is for. A citizen: omitted (themselves), {type: foreigner} (themselves, by the "
            "passport on their account), {type: organization, tax_code} (an organisation they may file for) or "
            "{personal_id, full_name} (another person, whom they represent). The desk: a personal ID number, or "
            "{type, personal_id | passport_number + nationality | tax_code, full_name, id_card_seen | passport_seen}. "
            "API clients: {personal_id, full_name, email, phone, address} or {type: organization, tax_code, name}."
        ),
    )
    representative = serializers.JSONField(required=False, help_text=_(
        "At the desk: the person standing for the applicant, {personal_id, full_name, id_card_seen}."))
    agency = serializers.CharField(required=False, help_text=_("The desk's unit code, if the officer has several"))


class DossierUpdateSerializer(serializers.Serializer):
    data = serializers.DictField()


class AttachmentUploadSerializer(serializers.Serializer):
    document = serializers.CharField()
    file = serializers.FileField()


class SupplementAnswerSerializer(serializers.Serializer):
    data = serializers.DictField(required=False, default=dict)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class SubmitSerializer(serializers.Serializer):
    consent = serializers.BooleanField(required=False, default=False, help_text=_(
        "A citizen filing for themselves: true once they have agreed to the processing of their personal data. "
        "Without it the answer is 400 with code consent_required, and errors.consent holds the text to show them."))
    accept_version = serializers.CharField(required=False, allow_blank=True, default="", help_text=_(
        "When the procedure's rules changed since the draft was started, the answer is 400 with code "
        "version_changed: errors.version lists what changed for the applicant, errors.accept_version the new "
        "version's id. Send that id here once they have read it to file under the rules in force."))


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ApologySerializer(serializers.Serializer):
    new_due_at = serializers.DateTimeField()
    reason = serializers.CharField()


class DossierViewSet(IdempotentPostMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    serializer_class = DossierSerializer
    # What an API client needs for each action (people are checked by the services).
    required_scopes = dict.fromkeys(
        ("create", "partial_update", "attachments", "submit", "supplement", "withdraw"), Scope.DOSSIERS_SUBMIT
    )

    def get_queryset(self):
        qs = selectors.visible_dossiers(self.request.user)
        status = self.request.query_params.get("status")
        if status:
            qs = qs.filter(status=status)
        if self.request.query_params.get("mine"):
            qs = qs.filter(selectors.applicant_side(self.request.user))
        return qs.order_by("-created_at")

    def get_object(self):
        return selectors.get_dossier(self.request.user, self.kwargs["pk"])

    def get_serializer_class(self):
        return DossierDetailSerializer if self.action != "list" else DossierSerializer

    def _detail(self, dossier, status=200):
        dossier = selectors.get_dossier(self.request.user, dossier.pk)
        return Response(DossierDetailSerializer(dossier, context={"request": self.request}).data, status=status)

    @extend_schema(
        parameters=[OpenApiParameter("status", str), OpenApiParameter("mine", bool)],
        summary="Dossiers the caller may see",
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=DossierCreateSerializer, responses={201: DossierDetailSerializer}, summary="Create a draft")
    def create(self, request):
        body = DossierCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        dossier = services.create_draft(
            request.user,
            values["procedure"],
            values.get("data"),
            channel=values.get("channel"),
            applicant=values.get("applicant"),
            representative=values.get("representative"),
            agency_code=values.get("agency"),
        )
        return self._detail(dossier, 201)

    @extend_schema(request=DossierUpdateSerializer, responses=DossierDetailSerializer, summary="Edit a draft")
    def partial_update(self, request, pk=None):
        dossier = self.get_object()  # first: a stranger's dossier is a 404 whatever the body
        body = DossierUpdateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._detail(services.update_draft(request.user, dossier, body.validated_data["data"]))

    @extend_schema(
        request={"multipart/form-data": AttachmentUploadSerializer},
        responses={201: AttachmentSerializer},
        summary="Upload a paper for one of the procedure's documents",
    )
    @action(detail=True, methods=["post"])
    def attachments(self, request, pk=None):
        dossier = self.get_object()
        attachment = services.add_attachment(
            request.user, dossier, request.data.get("document"), request.FILES.get("file")
        )
        return Response(AttachmentSerializer(attachment).data, status=201)

    @extend_schema(request=SubmitSerializer, responses=DossierDetailSerializer,
                   summary="Submit: the dossier gets its code")  # fmt: skip
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        body = SubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values, dossier = body.validated_data, self.get_object()
        if values["accept_version"]:
            dossier = services.adopt_rules_in_force(request.user, dossier, values["accept_version"])
        return self._detail(services.submit(request.user, dossier, consent=values["consent"]))

    @extend_schema(request=SupplementAnswerSerializer, responses=DossierDetailSerializer,
                   summary="Answer a supplement request")  # fmt: skip
    @action(detail=True, methods=["post"])
    def supplement(self, request, pk=None):
        dossier = self.get_object()
        body = SupplementAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        return self._detail(services.answer_supplement(request.user, dossier, values["data"], values["note"]))

    @extend_schema(request=WithdrawSerializer, responses=DossierDetailSerializer, summary="Withdraw the dossier")
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        dossier = self.get_object()
        body = WithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._detail(services.withdraw(request.user, dossier, body.validated_data["reason"]))

    @extend_schema(request=ApologySerializer, responses=DossierDetailSerializer,
                   summary="Apology with a new date (Mẫu 04), once")  # fmt: skip
    @action(detail=True, methods=["post"])
    def apologise(self, request, pk=None):
        dossier = self.get_object()
        body = ApologySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        return self._detail(services.apologise(request.user, dossier, values["new_due_at"], values["reason"]))


    @extend_schema(responses=DocumentSerializer(many=True), summary="Generated documents, with download links")
    @action(detail=True, methods=["get"])
    def documents(self, request, pk=None):
        return Response(documents_payload(request, pk))


TRACKING = inline_serializer("Tracking", {
    "code": serializers.CharField(), "procedure": serializers.CharField(), "status": serializers.CharField(),
    "status_label": serializers.CharField(), "submitted_at": serializers.DateTimeField(),
    "accepted_at": serializers.DateTimeField(), "due_at": serializers.DateTimeField(),
    "extended_due_at": serializers.DateTimeField(), "completed_at": serializers.DateTimeField(),
    "history": serializers.ListField(child=serializers.DictField()),
})  # fmt: skip


def _tracking(code, key):
    dossier = selectors.tracked(code, key)
    if dossier is None:
        raise NotFound()
    return Response({
        "code": dossier.code, "procedure": dossier.version.display_name,
        "status": dossier.status, "status_label": dossier.get_status_display(),
        "submitted_at": _local(dossier.submitted_at), "accepted_at": _local(dossier.accepted_at),
        "due_at": _local(dossier.due_at), "extended_due_at": _local(dossier.extended_due_at),
        "completed_at": _local(dossier.completed_at), "history": timeline(dossier, public=True),
    })  # fmt: skip


class TrackingQuerySerializer(serializers.Serializer):
    code = serializers.CharField(max_length=60, help_text=_("The dossier code on the receipt"))
    key = serializers.CharField(max_length=12, help_text=_("The lookup key on the receipt"))


class PublicTracking(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "track"


class TrackView(PublicTracking):
    """Public tracking by dossier code and the lookup key printed on the receipt, sent in the
    body: a key in a URL ends up in access logs, proxies and browser histories (review L8)."""

    @extend_schema(request=TrackingQuerySerializer, responses=TRACKING, summary="Track a dossier without logging in")
    def post(self, request):
        body = TrackingQuerySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return _tracking(body.validated_data["code"], body.validated_data["key"])


class TrackByLinkView(PublicTracking):
    """The earlier form, key in the query string; kept for existing clients (its key is not
    logged: the access log has no query strings)."""

    @extend_schema(parameters=[OpenApiParameter("key", str, required=True, description="Lookup key from the receipt")],
                   responses=TRACKING, deprecated=True,
                   summary="Track a dossier (key in the URL; use POST /track/)")  # fmt: skip
    def get(self, request, code):
        return _tracking(code, request.query_params.get("key"))

