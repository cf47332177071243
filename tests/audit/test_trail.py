"""The audit trail (security review 2026-12, M4): append-only, sealed with a key that lives
outside the database, in the order records commit, anchored outside the database; the five
tamper scenarios of the review and the late-commit race are each detected."""

import json
import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from egov.agencies.models import Agency
from egov.audit import sealing
from egov.audit.models import AppendOnlyError, AuditRecord, AuditSeal
from egov.audit.services import record
from tests.factories import CitizenFactory

pytestmark = pytest.mark.django_db


def raw(sql, params=()):
    """What someone with database access (and no key) can do. On PostgreSQL that takes the
    table's owner, who can switch the append-only trigger off for the statement."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditrecord DISABLE TRIGGER audit_record_append_only")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditrecord ENABLE TRIGGER audit_record_append_only")


def problems():
    with pytest.raises(CommandError) as caught:
        call_command("verify_audit")
    return str(caught.value)


@pytest.fixture
def trail():
    for n in range(6):
        record(None, "test.action", note=f"entry {n}")
    sealing.seal()
    call_command("verify_audit")  # intact to start with
    return list(AuditRecord.objects.order_by("sequence"))


def test_audit_records_are_append_only():
    agency = Agency.objects.create(code="000.00.12.H56", name="Sở Tư pháp", level="department")
    entry = record(None, "agency.created", agency, after={"name": agency.name})
    assert entry.actor_repr == "system" and entry.object_type == "agencies.agency"
    assert entry.object_repr == "000.00.12.H56"  # a label that names no one
    entry.action = "forged"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    assert AuditRecord.objects.get().action == "agency.created"


def test_records_name_people_by_their_keys_and_copy_no_free_text():
    person = CitizenFactory(full_name="Nguyễn Thị Riêng Tư")
    entry = record(person, "dossier.withdraw", person, after={"reason": "Tôi là Nguyễn Thị Riêng Tư, 0912345678"})
    assert entry.actor_id == person.pk and entry.actor_repr == "" and entry.object_repr == ""
    assert entry.after == {"reason": True} and "Riêng Tư" not in json.dumps(entry.after, ensure_ascii=False)


def test_admin_shows_audit_read_only_with_names_looked_up(admin_client):
    person = CitizenFactory(full_name="Trần Văn Hiển Thị")
    record(person, "something.happened", person)
    entry = AuditRecord.objects.get(action="something.happened")
    page = admin_client.get(f"/admin/audit/auditrecord/{entry.pk}/change/")
    assert page.status_code == 200 and 'name="action"' not in page.content.decode()
    listing = admin_client.get("/admin/audit/auditrecord/").content.decode()
    assert "Trần Văn Hiển Thị" in listing  # shown at display time, not stored
    assert admin_client.get("/admin/audit/auditrecord/add/").status_code == 403


def test_1_a_naive_edit_is_detected(trail):
    raw("UPDATE audit_auditrecord SET note = 'rewritten history' WHERE id = %s", [trail[2].pk])
    assert f"at or before record {trail[2].sequence}" in problems()


def test_2_an_edit_re_sealed_without_the_key_is_detected(trail, settings):
    victim = trail[2]
    raw("UPDATE audit_auditrecord SET note = 'rewritten' WHERE id = %s", [victim.pk])
    # The insider recomputes the chain with the project's own code, but with a key of their own.
    settings.EGOV_AUDIT_KEY = "the-insider-guesses"
    sealing.key.cache_clear()
    previous = trail[1].seal
    for entry in AuditRecord.objects.filter(sequence__gte=victim.sequence).order_by("sequence"):
        previous = sealing.link(previous, entry)
        raw("UPDATE audit_auditrecord SET seal = %s WHERE id = %s", [previous, entry.pk])
    raw("UPDATE audit_auditseal SET last_seal = %s", [previous])
    settings.EGOV_AUDIT_KEY = "test-audit-key-not-for-production"
    sealing.key.cache_clear()
    assert f"at or before record {victim.sequence}" in problems()


def test_3_a_removed_record_is_detected_even_re_chained(trail):
    victim = trail[3]
    raw("DELETE FROM audit_auditrecord WHERE id = %s", [victim.pk])
    assert f"sequence {victim.sequence}" in problems()


def test_4_a_record_slipped_in_below_the_sealed_ones_is_reported_then_sealed(trail):
    raw("INSERT INTO audit_auditrecord (id, at, actor_repr, action, object_type, object_id, object_repr, note, seal)"
        " VALUES (%s, CURRENT_TIMESTAMP, 'system', 'forged.before', '', '', '', '', '')", [trail[0].pk - 1 or 999999])
    report = sealing.verify()
    assert report.unsealed == 1 and report.intact  # reported, not hidden
    out = __import__("io").StringIO()
    call_command("verify_audit", stdout=out)
    assert "1 records not sealed yet" in out.getvalue()
    sealing.seal()  # sealed at its place in commit order: after the ones already sealed
    forged = AuditRecord.objects.get(action="forged.before")
    assert forged.sequence == trail[-1].sequence + 1


def test_5_verify_never_seals_so_an_edit_before_sealing_is_not_blessed(trail):
    fresh = record(None, "test.late", note="written")
    raw("UPDATE audit_auditrecord SET note = 'edited before sealing' WHERE id = %s", [fresh.pk])
    call_command("verify_audit")
    assert AuditRecord.objects.get(pk=fresh.pk).seal == ""  # verification changed nothing
    assert sealing.verify().unsealed == 1


def test_the_anchor_outside_the_database_catches_a_chain_rebuilt_from_scratch(trail, settings, tmp_path):
    settings.EGOV_AUDIT_ANCHOR_FILE = str(tmp_path / "anchors.log")
    entry = sealing.anchor()
    assert entry["sequence"] == trail[-1].sequence and len(entry["signature"]) == 64
    call_command("verify_audit")
    # The last record rewritten and its seal replaced: the anchored seal no longer matches.
    raw("UPDATE audit_auditrecord SET note = 'rewritten', seal = %s WHERE id = %s", ["f" * 64, trail[-1].pk])
    assert f"record {trail[-1].sequence} differs" in problems()
    # And a forged anchor line is refused.
    forged = {**entry, "seal": "0" * 64}
    (tmp_path / "anchors.log").write_text(json.dumps(forged) + "\n")
    assert "signature" in problems()


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="SQLite lets one writer in at a time: no such race")
@pytest.mark.django_db(transaction=True)
def test_a_record_that_commits_late_is_sealed_never_skipped():
    """Two transactions: the first writes a record and commits after the second, whose record
    the sealer has already sealed (the race the review found on PostgreSQL)."""
    started, go_on = threading.Event(), threading.Event()

    def slow_writer():
        with transaction.atomic():
            record(None, "test.slow")
            started.set()
            go_on.wait(10)
        connection.close()

    writer = threading.Thread(target=slow_writer)
    writer.start()
    started.wait(10)
    record(None, "test.fast")
    sealing.seal()  # seals the fast one; the slow one is not committed yet
    go_on.set()
    writer.join(10)
    slow = AuditRecord.objects.get(action="test.slow")
    fast = AuditRecord.objects.get(action="test.fast")
    assert fast.seal and not slow.seal
    assert slow.pk < fast.pk  # it took its id first, and committed last
    sealing.seal()
    slow.refresh_from_db()
    assert slow.seal and slow.sequence == fast.sequence + 1
    call_command("verify_audit")
    assert AuditSeal.objects.get().last_sequence == slow.sequence


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_on_postgresql_the_database_refuses_to_change_or_delete_a_record(trail):
    from django.db import DatabaseError

    for statement in ("UPDATE audit_auditrecord SET note = 'x' WHERE id = %s",
                      "DELETE FROM audit_auditrecord WHERE id = %s",
                      "UPDATE audit_auditrecord SET seal = 'f' WHERE id = %s"):  # fmt: skip
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [trail[1].pk])
