"""Every URL pattern, asked by every kind of user: nobody reads or changes what is not theirs.

A new URL pattern without an entry here fails ``test_every_url_has_an_entry``.
"""

import pytest
from django.urls import get_resolver
from django.urls.resolvers import URLResolver
from rest_framework.test import APIClient

from egov.accounts.services import issue_token
from egov.integrations.clients import issue_key, register_client
from egov.integrations.models import Scope
from tests.dossiers.helpers import file_dossier

ACTORS = ["anonymous", "citizen_a", "citizen_b", "officer_here", "officer_other", "manager", "admin",
          "client_plain", "client_stats"]  # fmt: skip
OK = {200}
OK_OR_REDIRECT = {200, 302}
REFUSED = {302, 401, 403, 404, 405}
ANY = set(range(200, 500))  # public routes: any answer but a server error

# name -> {"get": {actor: allowed codes}, "post_refused": [actors whose POST must be refused]}
PAGE_PEOPLE = {"citizen_a", "citizen_b", "officer_here", "officer_other", "manager", "admin"}
API_PEOPLE = PAGE_PEOPLE | {"client_plain", "client_stats"}
SEE_DOSSIER = {"citizen_a", "officer_here", "manager", "admin"}


def only(allowed, codes=OK):
    return {actor: (codes if actor in allowed else REFUSED) for actor in ACTORS}


def public(codes=ANY):
    return dict.fromkeys(ACTORS, codes)


MATRIX = {
    "set_language": public(), "javascript-catalog": public(OK), "calendar-due-date": public(),
    "event-types": public(OK), "open-data-figures": public(OK), "procedure-list": public(OK),
    "procedure-detail": public(OK), "procedure-bpmn": public(OK), "procedure-diagram": public(OK), "api-schema": public(), "api-docs": public(), "health": public(OK),
    "verify-document": public(OK), "login": public(), "logout": public(), "register": public(),
    "password_reset": public(), "password_reset_done": public(), "password_reset_confirm": public(),
    "password_reset_complete": public(), "oidc_authentication_init": public(),
    "oidc_authentication_callback": public(), "home": public(OK), "catalogue": public(OK),
    # Apps acting as a citizen (OAuth 2.0): the protocol's endpoints answer anyone (tests/accounts/test_oauth.py).
    "authorize": public(), "token": public(), "revoke-token": public(), "introspect": public(),
    "oauth-server-metadata": public(OK),
    "procedure": public(OK), "track": public(), "track-by-link": public(),
    "document-download": only(SEE_DOSSIER),
    "stats-figures": only({"manager", "admin", "client_stats"}),
    "stats-reports": only({"manager", "admin", "client_stats"}),
    "stats-index": only({"manager", "admin", "client_stats"}),
    "service-index": only({"manager", "admin"}), "index-dossiers": only({"manager", "admin"}),
    "register-pdf": only({"officer_here", "manager", "admin"}),
    "dossier-list": only(API_PEOPLE),
    "dossier-detail": only(SEE_DOSSIER),
    "dossier-documents": only(SEE_DOSSIER),
    "dossier-apologise": only(set(), REFUSED), "dossier-attachments": only(set(), REFUSED),
    "dossier-submit": only(set(), REFUSED), "dossier-supplement": only(set(), REFUSED),
    "dossier-withdraw": only(set(), REFUSED),
    "task-list": only(API_PEOPLE),
    "task-detail": only({"officer_here", "manager"}),
    "task-claim": only(set(), REFUSED), "task-complete": only(set(), REFUSED),
    "task-reassign": only(set(), REFUSED), "task-release": only(set(), REFUSED),
    "attachment": only(SEE_DOSSIER),
    # Web pages: people with a session; an API key opens no page.
    "notices": only(PAGE_PEOPLE),
    "notice-preferences": only(PAGE_PEOPLE),
    "after-login": only(PAGE_PEOPLE, OK_OR_REDIRECT),
    "dashboard": only({"manager", "admin"}), "team": only({"manager", "admin"}),
    "2fa-setup": only(PAGE_PEOPLE, OK_OR_REDIRECT), "2fa-verify": only(PAGE_PEOPLE, OK_OR_REDIRECT),
    "my-data": only(PAGE_PEOPLE),
    "contacts": only(PAGE_PEOPLE), "tokens": only(PAGE_PEOPLE), "set-password": only(PAGE_PEOPLE),
    "revoke-app": only(set(), REFUSED),
    "code-login": public(OK),
    # The gateway's notification is signed by the gateway, not by a user: anyone may call it
    # (and is answered "invalid signature"); the payer's return shows only the payer's own.
    "payment-notification": public(OK), "payment-return": only(PAGE_PEOPLE, {404}),
    "pay": only(set(), REFUSED), "form-state": only(set(), REFUSED),
    # The code page of a registration in progress: a visitor with none is sent to log in.
    "verify-contact": public(OK_OR_REDIRECT),
    "bo-queue": only({"officer_here", "officer_other", "manager", "admin"}),
    "bo-dossier": only({"officer_here", "manager", "admin"}),
    "bo-desk": only({"officer_here", "officer_other"}),
    "bo-register-organization": only({"officer_here", "officer_other"}),
    # Anyone signed in has organisations to list (perhaps none); claiming desk dossiers is for citizens.
    "organizations": only(PAGE_PEOPLE), "account": only(PAGE_PEOPLE), "claim": only({"citizen_a", "citizen_b"}),
    "bo-claim-many": only(set(), REFUSED), "bo-task-action": only(set(), REFUSED),
    "bo-complete": only(set(), REFUSED), "bo-apologise": only(set(), REFUSED),
    "apply": only(set(), REFUSED),
    "my-dossiers": only(PAGE_PEOPLE),
    "dossier": only({"citizen_a"}),
    "form": only({"citizen_a"}, {302}), "papers": only({"citizen_a"}, {302}), "review": only({"citizen_a"}, {302}),
    "supplement": only({"citizen_a"}, {302}), "withdraw": only(set(), REFUSED), "rate": only(set(), REFUSED),
}  # fmt: skip
# Who must be refused when they POST (nothing changes for them).
POST_REFUSED = {
    "dossier-apologise": ACTORS[:2] + ["citizen_b", "officer_other", "client_plain"],
    "dossier-attachments": ["anonymous", "citizen_b", "officer_here", "officer_other", "manager", "client_plain"],
    "dossier-submit": ["anonymous", "citizen_b", "officer_here", "officer_other", "manager", "client_plain"],
    "dossier-supplement": ["anonymous", "citizen_b", "officer_other", "client_plain"],
    "dossier-withdraw": ["anonymous", "citizen_b", "officer_here", "officer_other", "manager", "client_plain"],
    "task-claim": ["anonymous", "citizen_a", "citizen_b", "officer_other", "client_plain"],
    "task-complete": ["anonymous", "citizen_a", "citizen_b", "officer_other", "manager", "client_plain"],
    "task-reassign": ["anonymous", "citizen_a", "citizen_b", "officer_here", "officer_other", "client_plain"],
    "task-release": ["anonymous", "citizen_a", "citizen_b", "officer_other", "client_plain"],
    "withdraw": ["anonymous", "citizen_b", "officer_here", "officer_other", "manager", "admin"],
    "bo-complete": ["anonymous", "citizen_a", "citizen_b", "officer_other", "manager", "client_plain"],
    "bo-task-action": ["anonymous", "citizen_a", "citizen_b", "officer_other", "client_plain"],
    "bo-apologise": ["anonymous", "citizen_a", "citizen_b", "officer_here", "officer_other"],
    "bo-claim-many": ["anonymous", "citizen_a", "citizen_b"],
    "rate": ["anonymous", "citizen_b", "officer_here", "officer_other", "manager", "admin"],
    "pay": ["anonymous", "citizen_b", "officer_here", "officer_other", "manager", "admin"],
    "form-state": ["anonymous", "citizen_b", "officer_here", "officer_other", "manager", "admin"],
}


def route_names():
    names = set()

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern).startswith("admin/"):
                    continue
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                name = pattern.name
                if name == "register" and prefix.startswith("api/"):
                    name = "register-pdf"
                if prefix.startswith("backoffice/"):
                    name = f"bo-{name}"
                names.add(name)

    walk(get_resolver().url_patterns)
    return names


def test_every_url_has_an_entry():
    assert route_names() == set(MATRIX)


@pytest.fixture
def world(demo, django_capture_on_commit_callbacks):
    from egov.documents.models import Document
    from egov.dossiers.models import Attachment
    from workflows.models import DossierTask

    with django_capture_on_commit_callbacks(execute=True):
        dossier = file_dossier(demo["congdan"], "2.000575")
    from egov.documents.services import render, request_document
    from egov.dossiers.models import Dossier

    document = request_document(Dossier.objects.get(pk=dossier["id"]), "receipt")
    render(document)
    document = Document.objects.get(pk=document.pk)
    plain = register_client("Ứng dụng A", [Scope.EVENTS_RECEIVE])
    stats = register_client("Trung tâm điều hành", [Scope.STATS_READ])
    return {
        "demo": demo, "dossier": dossier, "document": document,
        "task": DossierTask.objects.get(dossier_id=dossier["id"], step_key="intake"),
        "attachment": Attachment.objects.filter(dossier_id=dossier["id"]).first(),
        "keys": {"client_plain": issue_key(plain), "client_stats": issue_key(stats)},
    }  # fmt: skip


def client_of(world, actor):
    demo = world["demo"]
    users = {"citizen_a": "congdan", "citizen_b": "congdan2", "officer_here": "tiepnhan.dongha",
             "officer_other": "tiepnhan.camlo", "manager": "quanly.dongha", "admin": "quantri"}  # fmt: skip
    client = APIClient()
    if actor in users:
        user = demo[users[actor]]
        client.force_login(user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user)}")
    elif actor.startswith("client_"):
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {world['keys'][actor]}")
    return client


def urls(world):
    d, t = world["dossier"]["id"], world["task"].pk
    return {
        "set_language": "/i18n/setlang/", "javascript-catalog": "/jsi18n/",
        "calendar-due-date": "/api/v1/calendar/due-date/?received=2026-04-24T09:00:00%2B07:00&working_days=3",
        "document-download": f"/api/v1/documents/{world['document'].pk}/download/",
        "event-types": "/api/v1/events/types/", "stats-figures": "/api/v1/stats/figures/?agency=000.17.22.H56",
        "open-data-figures": "/api/v1/open-data/figures/",
        "stats-reports": "/api/v1/stats/reports/?period=2026-01&agency=000.17.22.H56",
        "stats-index": "/api/v1/stats/index/?period=2026&agency=000.17.22.H56",
        "service-index": "/dashboard/index/?agency=000.17.22.H56",
        "index-dossiers": "/dashboard/index/dossiers/?behind=completed&agency=000.17.22.H56",
        "register-pdf": "/api/v1/register/?agency=000.17.22.H56&from=2026-01-01&to=2026-12-31",
        "track": "/api/v1/track/",
        "track-by-link": f"/api/v1/track/{world['dossier']['code']}/?key={world['dossier']['lookup_key']}",
        "procedure-list": "/api/v1/procedures/", "procedure-detail": "/api/v1/procedures/2.000575/",
        "procedure-bpmn": "/api/v1/procedures/2.000575/bpmn/", "procedure-diagram": "/api/v1/procedures/2.000575/diagram/",
        "dossier-list": "/api/v1/dossiers/", "dossier-detail": f"/api/v1/dossiers/{d}/",
        "dossier-apologise": f"/api/v1/dossiers/{d}/apologise/", "dossier-attachments": f"/api/v1/dossiers/{d}/attachments/",
        "dossier-documents": f"/api/v1/dossiers/{d}/documents/", "dossier-submit": f"/api/v1/dossiers/{d}/submit/",
        "dossier-supplement": f"/api/v1/dossiers/{d}/supplement/", "dossier-withdraw": f"/api/v1/dossiers/{d}/withdraw/",
        "task-list": "/api/v1/tasks/", "task-detail": f"/api/v1/tasks/{t}/", "task-claim": f"/api/v1/tasks/{t}/claim/",
        "task-complete": f"/api/v1/tasks/{t}/complete/", "task-reassign": f"/api/v1/tasks/{t}/reassign/",
        "task-release": f"/api/v1/tasks/{t}/release/", "api-schema": "/api/schema/", "api-docs": "/api/docs/",
        "attachment": f"/attachments/{world['attachment'].pk}/",
        "verify-document": f"/verify/{world['document'].verification_code}/",
        "notices": "/notices/", "dashboard": "/dashboard/", "team": "/dashboard/team/?agency=000.17.22.H56",
        "notice-preferences": "/notices/preferences/",
        "after-login": "/welcome/", "health": "/healthz", "login": "/accounts/login/", "logout": "/accounts/logout/",
        "register": "/accounts/register/", "2fa-setup": "/accounts/2fa/setup/", "2fa-verify": "/accounts/2fa/verify/",
        "password_reset": "/accounts/password-reset/", "password_reset_done": "/accounts/password-reset/sent/",
        "password_reset_confirm": "/accounts/reset/MQ/set-password/", "password_reset_complete": "/accounts/reset/done/",
        "oidc_authentication_init": "/oidc/authenticate/", "oidc_authentication_callback": "/oidc/callback/",
        "my-data": "/accounts/my-data/", "bo-queue": "/backoffice/", "home": "/",
        "contacts": "/accounts/contacts/", "tokens": "/accounts/tokens/", "verify-contact": "/accounts/verify/",
        "code-login": "/accounts/code/", "set-password": "/accounts/password/",
        "revoke-app": "/accounts/apps/x/revoke/", "authorize": "/o/authorize/", "token": "/o/token/",
        "revoke-token": "/o/revoke_token/", "introspect": "/o/introspect/",
        "oauth-server-metadata": "/o/.well-known/oauth-authorization-server",
        "bo-dossier": f"/backoffice/dossiers/{d}/", "bo-desk": "/backoffice/desk/",
        "bo-register-organization": "/backoffice/desk/organizations/new/", "organizations": "/accounts/organizations/",
        "account": "/accounts/",
        "claim": "/my/claim/", "bo-claim-many": "/backoffice/claim/",
        "bo-task-action": f"/backoffice/tasks/{t}/", "bo-complete": f"/backoffice/tasks/{t}/complete/",
        "bo-apologise": f"/backoffice/dossiers/{d}/apologise/", "catalogue": "/procedures/", "procedure": "/procedures/2.000575/",
        "apply": "/procedures/2.000575/apply/", "my-dossiers": "/my/dossiers/", "dossier": f"/my/dossiers/{d}/",
        "form": f"/my/dossiers/{d}/form/", "papers": f"/my/dossiers/{d}/papers/", "review": f"/my/dossiers/{d}/review/",
        "supplement": f"/my/dossiers/{d}/supplement/", "withdraw": f"/my/dossiers/{d}/withdraw/",
        "rate": f"/my/dossiers/{d}/rate/", "track-page": "/track/",
        "payment-notification": "/api/v1/payments/vnpay/ipn/?vnp_TxnRef=X&vnp_SecureHash=0",
        "payment-return": "/payments/vnpay/return/?vnp_TxnRef=X&vnp_SecureHash=0", "pay": f"/my/dossiers/{d}/pay/",
        "form-state": f"/my/dossiers/{d}/form/state/",
    }  # fmt: skip


def test_get_matrix(world):
    paths = urls(world)
    paths["track"] = paths["track"]  # the API route; the portal's /track/ shares the name
    failures = []
    for actor in ACTORS:
        client = client_of(world, actor)
        for name, expected in MATRIX.items():
            status = client.get(paths[name]).status_code
            if status not in expected[actor]:
                failures.append(f"{actor} GET {paths[name]} -> {status}")
        portal_track = client.get(paths["track-page"]).status_code
        assert portal_track == 200
    assert failures == [], "\n".join(failures)


def test_post_matrix_refuses_and_changes_nothing(world):
    from egov.audit.models import AuditRecord
    from egov.dossiers.models import Dossier

    paths = urls(world)
    before = (Dossier.objects.get(pk=world["dossier"]["id"]).status, world["task"].status)
    quiet = [
        "api.call",
        "attachment.read",
        "account.login",
        "account.logout",
        "account.login_failed",
        "account.token_issued",
    ]  # the test clients' own tokens
    writes_before = AuditRecord.objects.exclude(action__in=quiet).count()
    failures = []
    for name, actors in POST_REFUSED.items():
        for actor in actors:
            status = client_of(world, actor).post(paths[name], {"outcome": "accept", "user": "tiepnhan.dongha",
                                                                "score": 5, "new_due_at": "2030-01-01T00:00:00Z",
                                                                "reason": "x"}, format="json").status_code  # fmt: skip
            if status not in {401, 403, 404, 405, 302, 400}:
                failures.append(f"{actor} POST {paths[name]} -> {status}")
    assert failures == []
    world["task"].refresh_from_db()
    assert (Dossier.objects.get(pk=world["dossier"]["id"]).status, world["task"].status) == before
    assert AuditRecord.objects.exclude(action__in=quiet).count() == writes_before


def test_admin_is_for_staff_only(world):
    for actor in ["citizen_a", "officer_here", "manager"]:
        assert client_of(world, actor).get("/admin/dossiers/dossier/").status_code in {302, 403}
    assert client_of(world, "admin").get("/admin/dossiers/dossier/").status_code == 200
