"""Figures for authorised screens (operations centre) and open data for everyone."""

import csv
import io

from django.http import FileResponse, HttpResponse
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
from egov.stats import opendata
from egov.stats.index import score
from egov.stats.models import PeriodicReport
from egov.stats.periods import BadPeriod, Period
from egov.stats.reports import make_report
from egov.stats.selectors import GROUPS, ROLES, figures, in_progress

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
    for key in ("title", "description", "licence", "licence_url", "period", "from", "to", "group_by", "generated_at"):
        about.append([key, str(meta[key])])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
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


ROLE = OpenApiParameter("role", str, enum=list(ROLES), description="A unit's figures: of the dossiers it receives "
                                                                   "(default) or of those it decides")  # fmt: skip


def _role(params):
    role = params.get("role") or "receiving"
    if role not in ROLES:
        raise ValidationError({"role": [_("One of: %(g)s") % {"g": ", ".join(ROLES)}]})
    return role


def _client_reach(client, agency, procedure):
    """An API client reads the figures of its own agencies and procedures, as it reads their
    dossiers (review L6): (the agency, the procedures) to count, or a refusal."""
    own = list(client.agencies.all())
    if own:
        if agency is None and len(own) > 1:
            raise ValidationError({"agency": [_("Choose one of your units: %(codes)s.")
                                              % {"codes": ", ".join(unit.code for unit in own)}]})  # fmt: skip
        if agency is None:
            agency = own[0]
        elif agency.pk not in {unit.pk for unit in own}:
            raise PermissionDenied(_("This client reads the figures of its own units only."))
    if not client.procedures:
        return agency, None
    if procedure and procedure not in client.procedures:
        raise PermissionDenied(_("This client reads the figures of its own procedures only."))
    return agency, [procedure] if procedure else list(client.procedures)


def figures_reach(request):
    """Whose figures the caller may read: (the unit, or None for all; the procedures, or None
    for all), or a refusal. Centre managers read their units; procedure administrators and
    superusers everything; an API client with stats:read its own units and procedures."""
    user, params = request.user, request.query_params
    agency = Agency.objects.filter(code=params.get("agency")).first() if params.get("agency") else None
    if params.get("agency") and agency is None:
        raise NotFound()
    client = getattr(user, "api_client", None) if user.kind == "service" else None
    if client is not None:
        if not client.has_scope(Scope.STATS_READ):
            raise PermissionDenied()
        return _client_reach(client, agency, params.get("procedure"))
    managed = agencies_where(user, Role.CENTER_MANAGER, Role.PROCEDURE_ADMIN)
    if not user.is_superuser and not managed:
        raise PermissionDenied()
    if (not user.is_superuser and not agencies_where(user, Role.PROCEDURE_ADMIN)
            and (agency is None or agency.pk not in managed)):  # fmt: skip
        raise PermissionDenied(_("Choose one of the units you manage (agency=…)."))
    return agency, None


class FiguresView(APIView):
    """For centre managers (their units), procedure admins and superusers (all), API clients with stats:read."""

    @extend_schema(parameters=[*PARAMS, OpenApiParameter("agency", str), OpenApiParameter("procedure", str),
                               OpenApiParameter("sector", str), ROLE], responses=OpenApiTypes.OBJECT,
                   summary="Service index figures")  # fmt: skip
    def get(self, request):
        params = request.query_params
        agency, procedures = figures_reach(request)
        start, end = _period(params)
        group_by = params.get("group_by") or None
        if group_by and group_by not in GROUPS:
            raise ValidationError({"group_by": [_("One of: %(g)s") % {"g": ", ".join(GROUPS)}]})
        role = _role(params)
        data = figures(start, end, agency, params.get("procedure"), params.get("sector"), group_by, procedures, role)
        if group_by is None:
            data |= in_progress(agency, params.get("procedure"), params.get("sector"), procedures, role)
        return Response({"from": start, "to": end, "group_by": group_by, "role": role, "figures": data})


class OpenDataView(APIView):
    """Aggregated figures only: no name, ID number, address or dossier code; small counts suppressed."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(parameters=[
        OpenApiParameter("period", str, description="An ended calendar month (2026-03) or quarter (2026-Q1); "
                                                    "the last ended month by default"),
        OpenApiParameter("group_by", str, enum=list(opendata.GROUPS)),
        OpenApiParameter("format", str, enum=["json", "csv", "xlsx"])],
        responses={(200, "application/json"): OpenApiTypes.OBJECT, (200, "text/csv"): OpenApiTypes.STR,
                   (200, XLSX): OpenApiTypes.BINARY},
        summary="Open data: service figures")  # fmt: skip
    def get(self, request):
        params = request.query_params
        if "from" in params or "to" in params:
            raise ValidationError({"period": [_(
                "Open data is published by calendar month or quarter: give period=YYYY-MM or period=YYYY-Qn "
                "instead of from and to.")]})  # fmt: skip
        try:
            period = Period.parse(params["period"]) if "period" in params else Period.last_month()
        except BadPeriod as exc:
            raise ValidationError({"period": [str(exc)]})
        if not period.has_ended():
            raise ValidationError({"period": [_("%(period)s has not ended yet: its figures are published once it "
                                                "has.") % {"period": period}]})  # fmt: skip
        group_by = params.get("group_by") or "agency"
        if group_by not in opendata.GROUPS:
            raise ValidationError({"group_by": [_("One of: %(g)s") % {"g": ", ".join(opendata.GROUPS)}]})
        rows = opendata.published(period, group_by)
        meta = {
            "title": "Một Cửa — public service figures",
            "description": str(_("Dossiers received and completed per unit, sector, procedure or month, for one "
                                 "calendar month or quarter. Counts below %(n)d are hidden (null), and so are the "
                                 "cells that would let a reader work them out; shares and rates are given only "
                                 "from counts that are given.") % {"n": opendata.SUPPRESS_BELOW}),
            "licence": "CC-BY-4.0",
            "licence_url": "https://creativecommons.org/licenses/by/4.0/",
            "period": str(period), "from": period.start.isoformat(), "to": period.end.isoformat(),
            "group_by": group_by, "generated_at": timezone.now().isoformat(), "fields": opendata.FIELDS,
        }  # fmt: skip
        name = f"motcua-{group_by}-{period}"
        if params.get("format") == "xlsx":
            response = HttpResponse(_xlsx(rows, meta), content_type=XLSX)
            response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        elif params.get("format") == "csv":
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=opendata.FIELDS)
            writer.writeheader()
            for row in rows:
                writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
            response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
            response["X-Licence"] = meta["licence"]
        else:
            response = Response({"meta": meta, "rows": rows})
        response["Cache-Control"] = "public, max-age=3600"
        return response


class IndexView(APIView):
    """The national service index (Decision 766/QĐ-TTg) of a period, for the province or a unit
    as the receiving or the deciding unit: each component with its points, maximum, weight,
    formula and whether the product measures it (egov/stats/index.py)."""

    @extend_schema(parameters=[
        OpenApiParameter("period", str, required=True, description="2026-03, 2026-Q1 or 2026"),
        OpenApiParameter("agency", str, description="A unit's code; the whole province without it"),
        ROLE, OpenApiParameter("sector", str)],
        responses=OpenApiTypes.OBJECT, summary="National service index")  # fmt: skip
    def get(self, request):
        agency, procedures = figures_reach(request)
        if procedures is not None:
            raise PermissionDenied(_("The index covers every procedure; this client reads only some of them."))
        params = request.query_params
        try:
            period = Period.parse(params.get("period"), years=True)
        except BadPeriod as exc:
            raise ValidationError({"period": [str(exc)]})
        return Response(score(period, agency, _role(params), params.get("sector") or None))


class ReportView(APIView):
    """The statutory periodic report (monthly, quarterly, yearly) as PDF or spreadsheet: the
    one kept for that period and unit, made now if there is none yet."""

    @extend_schema(parameters=[
        OpenApiParameter("period", str, required=True, description="2026-03, 2026-Q1 or 2026 (ended)"),
        OpenApiParameter("agency", str, description="A unit's code; the whole province without it"),
        OpenApiParameter("format", str, enum=["pdf", "xlsx"])],
        responses={(200, "application/pdf"): OpenApiTypes.BINARY, (200, XLSX): OpenApiTypes.BINARY},
        summary="Periodic report of dossier handling")  # fmt: skip
    def get(self, request):
        agency, procedures = figures_reach(request)
        if procedures is not None:
            raise PermissionDenied(_("The report covers every procedure; this client reads only some of them."))
        try:
            period = Period.parse(request.query_params.get("period"), years=True)
        except BadPeriod as exc:
            raise ValidationError({"period": [str(exc)]})
        if not period.has_ended():
            raise ValidationError({"period": [_("%(period)s has not ended yet: its figures are published once it "
                                                "has.") % {"period": period}]})  # fmt: skip
        kind = request.query_params.get("format") or "pdf"
        if kind not in ("pdf", "xlsx"):
            raise ValidationError({"format": [_("One of: %(g)s") % {"g": "pdf, xlsx"}]})
        report = (PeriodicReport.objects.filter(period=str(period), unit=agency.code if agency else "").first()
                  or make_report(period, agency))  # fmt: skip
        stored = report.pdf if kind == "pdf" else report.xlsx
        response = FileResponse(stored.open("rb"), content_type="application/pdf" if kind == "pdf" else XLSX)
        response["Content-Disposition"] = f'attachment; filename="{stored.name.rsplit("/", 1)[-1]}"'
        response["X-Checksum-SHA256"] = report.pdf_sha256 if kind == "pdf" else report.xlsx_sha256
        return response
