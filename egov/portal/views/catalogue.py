"""Finding a procedure: home, search and browse, the procedure page."""

from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django_countries import countries

from egov.accounts import organizations
from egov.accounts.models import User
from egov.agencies.models import Agency
from egov.catalog import selectors
from egov.catalog.definition import summarise_time_limit
from egov.catalog.diagram import svg_of
from egov.catalog.models import ProcedureFile, Sector
from egov.common.text import localize
from egov.common.vocabulary import ApplicantType


def _sectors():
    now = timezone.now()
    in_force = Q(versions__status="published", versions__effective_from__lte=now) & (
        Q(versions__effective_to__isnull=True) | Q(versions__effective_to__gt=now)
    )
    return Sector.objects.annotate(count=Count("versions", filter=in_force, distinct=True)).filter(count__gt=0)


def home(request):
    return render(request, "portal/home.html", {
        "sectors": _sectors(),
        "procedures": selectors.catalogue()[:8],
    })  # fmt: skip


def catalogue(request):
    q = request.GET.get("q", "").strip()[:200]
    sector = request.GET.get("sector", "")
    agency_code = request.GET.get("agency", "")
    agency = Agency.objects.filter(code=agency_code, active=True).first() if agency_code else None
    results = selectors.catalogue(text=q, sector=sector or None, agency=agency)
    page = Paginator(results, 20).get_page(request.GET.get("page"))
    return render(request, "portal/catalogue.html", {
        "page": page, "q": q, "sector": sector, "agency": agency_code, "sectors": _sectors(),
        "agencies": Agency.objects.filter(active=True).exclude(level="province").order_by("level", "name"),
    })  # fmt: skip


def procedure(request, code):
    version = selectors.version_in_force(code)
    if version is None:
        raise Http404()
    spec = version.spec
    files = {f.filename: f for f in ProcedureFile.objects.filter(procedure=version.procedure)}
    documents = [
        {"name": d.name(), "kind": d.kind, "quantity": d.quantity, "conditional": not isinstance(d.required, bool),
         "required": d.required is True, "types": ", ".join(d.file_types), "max_mb": d.max_mb,
         "blank_form": files.get(d.template)}
        for d in spec.documents
    ]  # fmt: skip
    time_limits = [
        {"text": summarise_time_limit(case), "conditional": "when" in case} for case in spec.time_limit_cases
    ]
    fees = [{"name": localize(f["name"]), "amount": f["amount"], "conditional": "when" in f} for f in spec.fees]
    return render(request, "portal/procedure.html", {
        "version": version, "spec": spec, "documents": documents, "time_limits": time_limits, "fees": fees,
        "legal_basis": spec.legal_basis, "conditions": spec.conditions_text(), "description": spec.description(),
        "path": svg_of(version, simplified=True), "applying_for": applying_for_choices(request.user, spec),
    })  # fmt: skip


def applying_for_choices(user, spec):
    """Whom a citizen may apply for under this procedure: themselves, as a foreign national,
    an organisation they may file for, another person (services/parties.py decides)."""
    if not getattr(user, "is_authenticated", False) or user.kind != User.Kind.CITIZEN:
        return {}
    kinds = set(spec.applicant_types)
    return {
        "self": ApplicantType.INDIVIDUAL in kinds,
        "foreigner": ApplicantType.FOREIGNER in kinds,
        "passport": user.passport_number, "nationality": user.nationality.code if user.nationality else "",
        "organizations": list(organizations.filing_for(user)) if ApplicantType.ORGANIZATION in kinds else [],
        "countries": list(countries),
    }
