"""Security-relevant changes made in the admin are in the audit trail, with before and after
(security review 2026-12, M5). Pages are fetched and their forms posted back as a browser
would, changed."""

import json

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client

from egov.audit.admin_changes import HIDDEN, AuditedAdmin
from egov.audit.models import AuditRecord
from egov.common.admin import ReadOnlyAdminMixin
from egov.common.vocabulary import Role
from egov.documents.models import DocumentTemplate
from egov.integrations.clients import register_client
from tests.factories import AgencyFactory, CitizenFactory, administrator, published
from tests.forms import read_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    web = Client()
    person = administrator()
    web.force_login(person)
    web.person = person
    return web


def change(web, url, form_id, **values):
    """Fetch the change page, set ``values`` in its form, post it back."""
    data = read_form(web.get(url).content.decode(), form_id)
    data.update(values)
    answer = web.post(url, data)
    assert answer.status_code == 302, answer.content.decode()[:3000]
    return answer


def last(action, obj):
    return AuditRecord.objects.filter(action=action, object_type=obj._meta.label_lower, object_id=str(obj.pk)).last()


def test_every_admin_page_that_can_change_something_is_audited():
    for model in apps.get_models():
        if admin.site.is_registered(model):
            page = admin.site.get_model_admin(model)
            assert isinstance(page, AuditedAdmin | ReadOnlyAdminMixin), model._meta.label


def test_a_role_grant_and_the_staff_flags_are_recorded_with_before_and_after_but_no_personal_value(superuser):
    person = CitizenFactory(email="an.truoc@example.vn")
    agency = AgencyFactory()
    url = f"/admin/accounts/user/{person.pk}/change/"
    change(superuser, url, "user_form", is_staff="on", is_superuser="on", email="an.sau@example.vn", **{
        "role_assignments-TOTAL_FORMS": "1", "role_assignments-0-role": Role.CASE_OFFICER,
        "role_assignments-0-agency": str(agency.pk), "role_assignments-0-active": "on",
    })  # fmt: skip
    entry = last("admin.change", person)
    assert entry.actor == superuser.person
    assert entry.before["is_staff"] is False and entry.after["is_staff"] is True
    assert entry.before["is_superuser"] is False and entry.after["is_superuser"] is True
    assert entry.before["roleassignment"] == [] and entry.after["roleassignment"][0]["role"] == Role.CASE_OFFICER
    assert entry.after["roleassignment"][0]["agency"] == agency.pk
    assert entry.before["email"] == entry.after["email"] == HIDDEN  # it changed; the values are not copied
    assert "an.truoc" not in json.dumps(entry.before) and "an.sau" not in json.dumps(entry.after)
    assert "password" not in entry.after  # unchanged, so not mentioned

    # Taking the role away again is recorded too, from the role's own page.
    grant = person.role_assignments.get()
    assert superuser.post(f"/admin/accounts/roleassignment/{grant.pk}/delete/", {"post": "yes"}).status_code == 302
    gone = last("admin.delete", grant)
    assert gone.before["role"] == Role.CASE_OFFICER and gone.after == {}


def test_a_password_set_in_the_admin_is_recorded_without_its_value(superuser):
    person = CitizenFactory()
    url = f"/admin/accounts/user/{person.pk}/password/"
    answer = superuser.post(url, {"password1": "Mật-khẩu-mới-2026", "password2": "Mật-khẩu-mới-2026"})
    assert answer.status_code == 302
    entry = last("admin.change", person)
    assert entry.before == entry.after == {"password": HIDDEN}


def test_an_api_clients_scopes_and_webhook_address_are_recorded(superuser):
    client = register_client("Cổng dịch vụ công", ["dossiers:read"])
    url = f"/admin/integrations/apiclient/{client.pk}/change/"
    change(superuser, url, "apiclient_form", scopes=["dossiers:read", "dossiers:submit"], **{
        "subscriptions-TOTAL_FORMS": "1", "subscriptions-0-url": "https://127.0.0.1:8443/motcua",
        "subscriptions-0-event_types": "[]", "subscriptions-0-procedures": "[]", "subscriptions-0-active": "on",
    })  # fmt: skip
    entry = last("admin.change", client)
    assert entry.before["scopes"] == ["dossiers:read"] and entry.after["scopes"] == ["dossiers:read", "dossiers:submit"]
    assert entry.before["webhooksubscription"] == []
    assert entry.after["webhooksubscription"][0]["url"] == "https://127.0.0.1:8443/motcua"


def test_templates_rules_agencies_and_retention_periods_are_recorded(superuser):
    template = DocumentTemplate.objects.create(slug="giay-phep", name="Giấy phép", body="<p>{{ dossier.code }}</p>")
    change(superuser, f"/admin/documents/documenttemplate/{template.pk}/change/", "documenttemplate_form",
           body="<p>{{ dossier.code }} — {{ applicant.full_name }}</p>")  # fmt: skip
    entry = last("admin.change", template)
    assert entry.before == {"body": "<p>{{ dossier.code }}</p>"}
    assert entry.after == {"body": "<p>{{ dossier.code }} — {{ applicant.full_name }}</p>"}

    procedure = published().procedure
    change(superuser, f"/admin/catalog/procedure/{procedure.pk}/change/", "procedure_form", retention_years="2")
    entry = last("admin.change", procedure)
    assert entry.before == {"retention_years": None} and entry.after == {"retention_years": 2}

    agency = AgencyFactory(name="UBND xã Cũ")
    change(superuser, f"/admin/agencies/agency/{agency.pk}/change/", "agency_form", name="UBND xã Mới")
    entry = last("admin.change", agency)
    assert entry.before["name"] == "UBND xã Cũ" and entry.after["name"] == "UBND xã Mới"

    answer = superuser.post("/admin/notifications/notificationrule/add/", {
        "event_type": "dossier.overdue", "audience": "center_manager", "channels": ["email"], "active": "on"})
    assert answer.status_code == 302, answer.content.decode()[:2000]
    added = AuditRecord.objects.filter(action="admin.add", object_type="notifications.notificationrule").get()
    assert added.before == {} and added.after["channels"] == ["email"]


def test_saving_without_a_change_records_nothing(superuser):
    agency = AgencyFactory()
    change(superuser, f"/admin/agencies/agency/{agency.pk}/change/", "agency_form")
    assert not AuditRecord.objects.filter(action__startswith="admin.").exists()
