import pytest

from egov.agencies.models import Agency
from egov.audit.models import AppendOnlyError, AuditRecord
from egov.audit.services import record

pytestmark = pytest.mark.django_db


def test_audit_records_are_append_only():
    agency = Agency.objects.create(code="000.00.12.H56", name="Sở Tư pháp", level="department")
    entry = record(None, "agency.created", agency, after={"name": agency.name})
    assert entry.actor_repr == "system"
    assert entry.object_type == "agencies.agency"
    entry.action = "forged"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditRecord.objects.get().action == "agency.created"


def test_admin_shows_audit_read_only(admin_client):
    record(None, "something.happened")
    entry = AuditRecord.objects.get()
    page = admin_client.get(f"/admin/audit/auditrecord/{entry.pk}/change/")
    assert page.status_code == 200
    assert 'name="action"' not in page.content.decode()
    assert admin_client.get("/admin/audit/auditrecord/add/").status_code == 403
