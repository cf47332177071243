"""Figures for authorised screens (operations centre) and open data for everyone."""

import csv
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from egov.accounts.selectors import agencies_where
from egov.agencies.models import Agency
from egov.common.vocabulary import Role
from egov.integrations.models import Scope
from egov.stats.selectors import GROUPS, figures

OPEN_DATA_GROUPS = ("agency", "sector", "procedure", "month")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx(rows, meta):
    """A spreadsheet with the figures and a sheet describing them (licence, period)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "figures"
    sheet.append(meta["fields"])
    for row in rows:
        sheet.append([row.get(name) for name in meta["fields"]])
    about = book.create_sheet("about")
    for key in ("title", "description", "licence", "licence_url", "from", "to", "group_by", "generated_at"):
        about.append([key, str(meta[key])])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
SUPPRESS_BELOW = 5  # small counts could identify a person
PUBLIC_COUNTERS = [
    "received", "received_online", "received_in_person", "received_post", "received_api", "supplement_requested",
    "refused", "withdrawn", "completed", "completed_early", "completed_on_time", "completed_late", "on_time_rate",
    "average_working_days", "online_share", "satisfaction",
]  # fmt: skip
PARAMS = [
    OpenApiParameter("from", OpenApiTypes.DATE), OpenApiParameter("to", OpenApiTypes.DATE),
    OpenApiParameter("group_by", str, enum=list(GROUPS)),
]  # fmt: skip


def _period(params):
    today = timezone.localdate()
    start = parse_date(params.get("from") or "") or today.replace(month=1, day=1)
    end = parse_date(params.get("to") or "") or today
    if end < start or (end - start).days > 3660:
        raise ValidationError({"period": [_("Give from ≤ to, at most ten years apart.")]})
    return start, end


class FiguresView(APIView):
    """For centre managers (their units), procedure admins and superusers (all), API clients with stats:read."""

    @extend_schema(parameters=[*PARAMS, OpenApiParameter("agency", str), OpenApiParameter("procedure", str),
                               OpenApiParameter("sector", str)], responses=OpenApiTypes.OBJECT,
                   summary="Service index figures")  # fmt: skip
    def get(self, request):
        user, params = request.user, request.query_params
        agency = Agency.objects.filter(code=params.get("agency")).first() if params.get("agency") else None
        if params.get("agency") and agency is None:
            raise NotFound()
        client = getattr(user, "api_client", None) if user.kind == "service" else None
        managed = agencies_where(user, Role.CENTER_MANAGER, Role.PROCEDURE_ADMIN)
        if client is not None:
            if not client.has_scope(Scope.STATS_READ):
                raise PermissionDenied()
        elif not user.is_superuser and not managed:
            raise PermissionDenied()
        elif (not user.is_superuser and not agencies_where(user, Role.PROCEDURE_ADMIN)
              and (agency is None or agency.pk not in managed)):  # fmt: skip
            raise PermissionDenied(_("Choose one of the units you manage (agency=…)."))
        start, end = _period(params)
        group_by = params.get("group_by") or None
        if group_by and group_by not in GROUPS:
            raise ValidationError({"group_by": [_("One of: %(g)s") % {"g": ", ".join(GROUPS)}]})
        data = figures(start, end, agency, params.get("procedure"), params.get("sector"), group_by)
        return Response({"from": start, "to": end, "group_by": group_by, "figures": data})


def _suppress(row):
    out = {k: row.get(k) for k in ["key", *PUBLIC_COUNTERS] if k in row or k == "key"}
    for name in PUBLIC_COUNTERS:
        value = out.get(name)
        if isinstance(value, int) and 0 < value < SUPPRESS_BELOW:
            out[name] = None  # suppressed
    if (row.get("completed") or 0) < SUPPRESS_BELOW:
        out["on_time_rate"] = out["average_working_days"] = None
    if (row.get("rating_count") or 0) < SUPPRESS_BELOW:
        out["satisfaction"] = None
    if (row.get("received") or 0) < SUPPRESS_BELOW:
        out["online_share"] = None
    return out


class OpenDataView(APIView):
    """Aggregated figures only: no name, ID number, address or dossier code; small counts suppressed."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(parameters=[*PARAMS, OpenApiParameter("format", str, enum=["json", "csv", "xlsx"])],
                   responses={(200, "application/json"): OpenApiTypes.OBJECT, (200, "text/csv"): OpenApiTypes.STR,
                              (200, XLSX): OpenApiTypes.BINARY},
                   summary="Open data: service figures")  # fmt: skip
    def get(self, request):
        params = request.query_params
        start, end = _period(params)
        group_by = params.get("group_by") or "agency"
        if group_by not in OPEN_DATA_GROUPS:
            raise ValidationError({"group_by": [_("One of: %(g)s") % {"g": ", ".join(OPEN_DATA_GROUPS)}]})
        rows = [_suppress(row) for row in figures(start, end, group_by=group_by)]
        meta = {
            "title": "Một Cửa — public service figures",
            "description": str(_("Dossiers received and completed per unit, sector, procedure or month; counts "
                                 "below %(n)d are suppressed (null) to protect privacy.") % {"n": SUPPRESS_BELOW}),
            "licence": "CC-BY-4.0",
            "licence_url": "https://creativecommons.org/licenses/by/4.0/",
            "from": start.isoformat(), "to": end.isoformat(), "group_by": group_by,
            "generated_at": timezone.now().isoformat(),
            "fields": ["key", *PUBLIC_COUNTERS],
        }  # fmt: skip
        if params.get("format") == "xlsx":
            response = HttpResponse(_xlsx(rows, meta), content_type=XLSX)
            response["Content-Disposition"] = f'attachment; filename="motcua-{group_by}-{start}-{end}.xlsx"'
        elif params.get("format") == "csv":
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=["key", *PUBLIC_COUNTERS])
            writer.writeheader()
            for row in rows:
                writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
            response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="motcua-{group_by}-{start}-{end}.csv"'
            response["X-Licence"] = meta["licence"]
        else:
            response = Response({"meta": meta, "rows": rows})
        response["Cache-Control"] = "public, max-age=3600"
        return response

