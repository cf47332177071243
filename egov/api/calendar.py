"""GET /api/v1/calendar/due-date/: the due date the legal calendar gives."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from egov.agencies.models import Agency
from egov.calendar.clock import WORKING_DAY_RULES, WorkingCalendar
from egov.common.vocabulary import SAME_DAY_CUTOFF


class DueDateQuery(serializers.Serializer):
    received = serializers.DateTimeField(help_text=_("When the dossier was accepted, ISO 8601 with offset."))
    working_days = serializers.IntegerField(required=False, min_value=0, max_value=1000)
    working_hours = serializers.IntegerField(required=False, min_value=0, max_value=8000)
    same_day = serializers.BooleanField(required=False, default=False)
    cutoff = serializers.RegexField(r"^([01]\d|2[0-3]):[0-5]\d$", required=False, default=SAME_DAY_CUTOFF)
    rule = serializers.ChoiceField(choices=WORKING_DAY_RULES, required=False)
    agency = serializers.CharField(required=False, help_text=_("Unit code whose office hours apply."))

    def validate_received(self, value):
        # The legal calendar is seeded for modern years only (and old dates carry local-mean-time offsets).
        if not 2000 <= value.year <= 2100:
            raise serializers.ValidationError(_("Give a date between 2000 and 2100."))
        return value

    def validate(self, attrs):
        given = [key for key in ("working_days", "working_hours") if attrs.get(key) is not None]
        if attrs.get("same_day"):
            given.append("same_day")
        if len(given) != 1:
            raise serializers.ValidationError(_("Give exactly one of working_days, working_hours or same_day=true."))
        if attrs.get("agency"):
            attrs["agency_obj"] = Agency.objects.filter(code=attrs["agency"]).first()
            if attrs["agency_obj"] is None:
                raise serializers.ValidationError({"agency": _("No agency has this code.")})
        return attrs


class DueDateAnswer(serializers.Serializer):
    received = serializers.DateTimeField()
    due = serializers.DateTimeField()
    due_date = serializers.DateField()
    rule = serializers.CharField()
    limit = serializers.DictField()


class DueDateView(APIView):
    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        operation_id="calendar_due_date",
        parameters=[DueDateQuery],
        responses=DueDateAnswer,
        summary="Due date for a time limit",
        description=(
            "Civil-code rule (default): the day of receipt is not counted and the limit ends at the close "
            "of the N-th working day after it. Same day: received after the cutoff, or on a day off, it is "
            "the next working day."
        ),
        examples=[
            OpenApiExample(
                "3 working days from a Friday before the Hùng Kings and 30/4 holidays",
                value={
                    "received": "2026-04-24T09:00:00+07:00",
                    "due": "2026-05-04T17:00:00+07:00",
                    "due_date": "2026-05-04",
                    "rule": "civil_code",
                    "limit": {"working_days": 3},
                },
                response_only=True,
            )
        ],
        tags=["calendar"],
    )
    def get(self, request):
        query = DueDateQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        calendar = WorkingCalendar.for_agency(data.get("agency_obj"), rule=data.get("rule"))
        if data.get("same_day"):
            limit = {"same_day": True, "cutoff": data["cutoff"]}
        elif data.get("working_days") is not None:
            limit = {"working_days": data["working_days"]}
        else:
            limit = {"working_hours": data["working_hours"]}
        due = calendar.due(data["received"], limit)
        return Response(
            DueDateAnswer(
                {
                    "received": data["received"],
                    "due": due,
                    "due_date": calendar.local_date(due),
                    "rule": calendar.rule,
                    "limit": limit,
                }
            ).data
        )
