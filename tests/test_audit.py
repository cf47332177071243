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
    entry = AuditRecord.objects.get(action="something.happened")
    page = admin_client.get(f"/admin/audit/auditrecord/{entry.pk}/change/")
    assert page.status_code == 200
    assert 'name="action"' not in page.content.decode()
    assert admin_client.get("/admin/audit/auditrecord/add/").status_code == 403


def test_editing_one_audit_row_is_detected(db):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    from egov.audit.models import AuditRecord
    from egov.audit.services import record

    for n in range(5):
        record(None, "test.action", note=f"entry {n}")
    call_command("verify_audit")
    victim = AuditRecord.objects.order_by("id")[2]
    AuditRecord.objects.filter(pk=victim.pk).update(note="rewritten history")
    import pytest

    with pytest.raises(CommandError, match=str(victim.pk)):
        call_command("verify_audit")
