"""Officers' tasks: /api/v1/tasks/?scope=mine|queue|unit, claim, release, reassign, complete."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from egov.api.idempotency import IdempotentPostMixin
from egov.api.pagination import KeysFirstPagination
from egov.dossiers import selectors, services
from egov.dossiers.services.handling import allowed_outcomes
from workflows.models import DossierTask

SCOPES = {"mine": selectors.my_tasks, "queue": selectors.team_queue, "unit": selectors.unit_tasks}


class TaskSerializer(serializers.ModelSerializer):
    dossier = serializers.SerializerMethodField()
    step_name = serializers.SerializerMethodField()
    agency = serializers.SerializerMethodField()
    owner = serializers.SerializerMethodField()
    outcomes = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    form = serializers.SerializerMethodField()

    class Meta:
        model = DossierTask
        fields = [
            "id", "kind", "step_key", "step_name", "role", "agency", "status", "owner", "created", "assigned",
            "due_at", "overdue", "flagged_at", "outcomes", "form", "dossier",
        ]  # fmt: skip

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_dossier(self, obj):
        d = obj.dossier
        return {
            "id": str(d.pk),
            "code": d.code,
            "procedure": d.procedure.code,
            "procedure_name": d.version.display_name,
            "applicant": d.applicant.full_name,
            "status": d.status,
            "submitted_at": d.submitted_at,
            "due_at": d.due_at,
        }

    def get_step_name(self, obj) -> str:
        if obj.kind in (DossierTask.Kind.STEP, DossierTask.Kind.CONSULT):
            return obj.dossier.spec.steps[obj.step_index].name()
        return str(obj.get_kind_display())

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_agency(self, obj):
        return {"code": obj.agency.code, "name": obj.agency.display_name} if obj.agency else None

    def get_owner(self, obj) -> str | None:
        return obj.owner.username if obj.owner else None

    def get_outcomes(self, obj) -> list[str]:
        return list(allowed_outcomes(obj))

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_form(self, obj):
        """The step's own fields (the format's field syntax) the officer fills in."""
        if obj.kind != DossierTask.Kind.STEP:
            return []
        return obj.dossier.spec.steps[obj.step_index].raw.get("form", [])

    def get_overdue(self, obj) -> bool:
        return bool(obj.due_at and obj.due_at < timezone.now())


class CompleteSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    data = serializers.DictField(required=False, default=dict)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReassignSerializer(serializers.Serializer):
    user = serializers.CharField(help_text=_("Username of the officer who takes the task"))


class TaskViewSet(IdempotentPostMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = TaskSerializer
    pagination_class = KeysFirstPagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return DossierTask.objects.none()
        params = self.request.query_params
        scope = params.get("scope", "mine")
        if scope not in SCOPES:
            raise ValidationError({"scope": [_("Choose mine, queue or unit.")]})
        qs = SCOPES[scope](self.request.user).select_related("dossier__version")
        if params.get("procedure"):
            qs = qs.filter(dossier__procedure__code=params["procedure"])
        if params.get("step"):
            qs = qs.filter(step_key=params["step"])
        if params.get("overdue") in ("1", "true"):
            qs = qs.filter(due_at__lt=timezone.now())
        if params.get("q"):
            text = params["q"].strip()
            qs = selectors.search_tasks(qs, text)
        ordering = params.get("ordering")
        if ordering in ("created", "-created", "due_at", "-due_at"):
            qs = qs.order_by(ordering, "pk")
        return qs

    def get_object(self):
        return selectors.get_task(self.request.user, self.kwargs["pk"])

    @extend_schema(
        parameters=[
            OpenApiParameter("scope", str, enum=list(SCOPES), description="mine (default), queue or unit"),
            OpenApiParameter("procedure", str),
            OpenApiParameter("step", str),
            OpenApiParameter("overdue", bool),
            OpenApiParameter("q", str, description="Dossier code or applicant name"),
            OpenApiParameter("ordering", str, enum=["created", "-created", "due_at", "-due_at"]),
        ],
        summary="An officer's tasks, the team queue, or a unit's open tasks",
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def _answer(self, task):
        if task.is_open:
            return Response(TaskSerializer(selectors.get_task(self.request.user, task.pk)).data)
        return Response({"id": task.pk, "status": task.status, "outcome": task.outcome})

    @extend_schema(request=None, responses=TaskSerializer, summary="Take a task from the queue")
    @action(detail=True, methods=["post"])
    def claim(self, request, pk=None):
        return self._answer(services.claim(request.user, pk))

    @extend_schema(request=None, responses=TaskSerializer, summary="Give a task back to the queue")
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        return self._answer(services.release(request.user, pk))

    @extend_schema(request=ReassignSerializer, responses=TaskSerializer, summary="Reassign (centre manager)")
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        self.get_object()  # first: an invisible task is a 404 whatever the body
        body = ReassignSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._answer(services.reassign(request.user, pk, body.validated_data["user"]))

    @extend_schema(request=CompleteSerializer, responses=OpenApiTypes.OBJECT, summary="Complete with an outcome")
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        self.get_object()
        body = CompleteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        values = body.validated_data
        task = services.complete_task(request.user, pk, values["outcome"], values["data"], values["note"])
        return Response({"id": task.pk, "status": task.status, "outcome": task.outcome,
                         "dossier": {"id": str(task.dossier.pk), "status": task.dossier.status}})  # fmt: skip

