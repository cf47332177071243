"""The rows a hand-over writes go through statements compiled once (egov/common/prepared.py
``insert`` and ``update``): what they write must read back exactly as what the ORM's
``save`` writes, and anything they cannot bind goes back to the ORM."""

import datetime
import uuid

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F
from django.db.models.functions import Now
from django.test.utils import CaptureQueriesContext

from egov.audit.models import AuditRecord
from egov.common import prepared
from egov.dossiers import services
from egov.dossiers.models import Dossier, Handover
from egov.integrations.models import OutboxEvent
from tests.dossiers.helpers import draft_with_papers
from workflows.models import DossierTask

pytestmark = pytest.mark.django_db


@pytest.fixture
def dossier(demo):
    citizen = demo["congdan"]
    return services.submit(citizen, draft_with_papers(citizen))


def _row(model, pk):
    obj = model.objects.get(pk=pk)
    return {f.attname: getattr(obj, f.attname) for f in model._meta.concrete_fields if f.attname != "id"}


def _pairs(demo, dossier):
    """The same row made twice, for the ORM and for the prepared insert."""
    officer = demo["tiepnhan.dongha"]
    at = datetime.datetime(2026, 12, 1, 8, 30, tzinfo=datetime.UTC)
    yield lambda: AuditRecord(actor=officer, actor_repr="Một Cửa", action="task.accept", object_type="dossiers.dossier",
                              object_id=str(dossier.pk), object_repr=str(dossier), at=at,
                              after={"status": "in_progress", "ghi chú": "Đã nhận"}, note="Đủ giấy tờ")  # fmt: skip
    yield lambda: Handover(dossier=dossier, step_key="intake", step_name={"vi": "Tiếp nhận"}, agency_id=dossier.receiving_agency_id,
                           giver=officer, receiver_role="specialist", receiver_agency_id=dossier.deciding_agency_id,
                           handed_at=at, step_started_at=at, step_due_at=at + datetime.timedelta(hours=8),
                           timeliness="on_time", outcome="accept", note="")  # fmt: skip


def test_an_inserted_row_reads_back_as_the_orm_writes_it(demo, dossier):
    for make in _pairs(demo, dossier):
        by_orm = make()
        by_orm.save()
        by_prepared = prepared.insert(make())
        assert isinstance(by_prepared.pk, int) and by_prepared.pk > by_orm.pk
        assert not by_prepared._state.adding and by_prepared._state.db == "default"
        assert _row(type(by_orm), by_prepared.pk) == _row(type(by_orm), by_orm.pk)


def test_a_row_with_its_own_key_is_inserted_with_it(demo, dossier):
    event = prepared.insert(OutboxEvent(type="dossier.accepted", dossier=dossier, data={"code": dossier.code}))
    assert isinstance(event.pk, uuid.UUID)
    stored = OutboxEvent.objects.get(pk=event.pk)
    assert stored.data == {"code": dossier.code} and stored.dossier_id == dossier.pk and stored.dispatched_at is None


def test_the_statement_is_compiled_once_and_each_call_binds_its_own_values(demo, dossier, monkeypatch):
    from django.db.models.sql.compiler import SQLInsertCompiler

    first = prepared.insert(AuditRecord(action="one", object_repr="một"))

    def refuse(self):
        raise AssertionError("compiled again")

    monkeypatch.setattr(SQLInsertCompiler, "as_sql", refuse)
    with CaptureQueriesContext(connection) as captured:
        second = prepared.insert(AuditRecord(action="two", object_repr="hai"))
    assert len(captured.captured_queries) == 1
    assert AuditRecord.objects.get(pk=first.pk).object_repr == "một"
    assert AuditRecord.objects.get(pk=second.pk).object_repr == "hai"


def test_a_key_chosen_by_the_caller_is_written_and_an_unsaved_relation_refused(demo, dossier):
    prepared.insert(AuditRecord(action="compiled first"))
    chosen = prepared.insert(AuditRecord(pk=987654, action="with its own key"))
    assert AuditRecord.objects.get(pk=987654).action == "with its own key" and chosen.pk == 987654
    from egov.accounts.models import User

    with pytest.raises(ValueError):
        prepared.insert(AuditRecord(actor=User(username="chưa lưu"), action="refused"))
    assert not AuditRecord.objects.filter(action="refused").exists()


def test_an_update_writes_the_named_fields_and_nothing_else(demo, dossier):
    before = Dossier.objects.get(pk=dossier.pk)
    dossier.status = Dossier.Status.IN_PROGRESS
    dossier.decision_note = "Chuyển xử lý"
    dossier.fee_amount = 999  # not named: stays as it is in the database
    prepared.update(dossier, ["status", "decision_note", "updated_at"])
    after = Dossier.objects.get(pk=dossier.pk)
    assert (after.status, after.decision_note) == (Dossier.Status.IN_PROGRESS, "Chuyển xử lý")
    assert after.fee_amount == before.fee_amount
    assert after.updated_at > before.updated_at  # auto_now, as save(update_fields=…) stamps it


def test_an_update_of_a_task_row_matches_the_orms(demo, dossier):
    task = dossier.tasks.get(flow_task_type="HUMAN", status="NEW")
    officer = demo["tiepnhan.dongha"]
    task.owner, task.outcome, task.data = officer, "accept", {"giấy tờ": ["đơn"]}
    prepared.update(task, ["owner", "outcome", "data"])
    stored = DossierTask.objects.get(pk=task.pk)
    assert (stored.owner_id, stored.outcome, stored.data) == (officer.pk, "accept", {"giấy tờ": ["đơn"]})


def test_an_update_of_a_row_that_is_gone_is_an_error(demo, dossier):
    ghost = Dossier.objects.get(pk=dossier.pk)
    ghost.pk = uuid.uuid4()
    with pytest.raises(DatabaseError), transaction.atomic():
        prepared.update(ghost, ["status"])


def test_an_expression_goes_back_to_the_orm(demo, dossier):
    before = Dossier.objects.get(pk=dossier.pk).fee_amount
    prepared.update(dossier, ["fee_amount"])  # compiled with a plain value first
    dossier.fee_amount = F("fee_amount") + 5  # computed by the database: compiled by the ORM
    prepared.update(dossier, ["fee_amount"])
    assert Dossier.objects.get(pk=dossier.pk).fee_amount == before + 5
    prepared.insert(AuditRecord(action="plain"))
    stamped = prepared.insert(AuditRecord(action="stamped by the database", at=Now()))
    assert AuditRecord.objects.get(pk=stamped.pk).at is not None


def test_empty_values_have_statements_of_their_own(demo, dossier, monkeypatch):
    """Django writes ``= NULL`` into the text for an empty value: each pattern of empty
    values is compiled on its own, and none of them goes back to the ORM."""

    def refuse(*args, **kwargs):
        raise AssertionError("went back to the ORM")

    monkeypatch.setattr(Dossier, "save", refuse)
    moment = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=datetime.UTC)
    for issued_at, note in [(None, "chưa"), (moment, "đã cấp"), (None, ""), (moment, "lại")]:
        dossier.issued_at, dossier.decision_note = issued_at, note
        prepared.update(dossier, ["issued_at", "decision_note"])
        stored = Dossier.objects.get(pk=dossier.pk)
        assert (stored.issued_at, stored.decision_note) == (issued_at, note)


def test_writes_sent_together_land_and_read_back(demo, dossier):
    officer = demo["tiepnhan.dongha"]
    with transaction.atomic():
        with prepared.together():
            if connection.vendor == "postgresql":
                assert connection.connection.pgconn.pipeline_status  # no wait for each answer
            dossier.decision_note = "Cùng lúc"
            prepared.update(dossier, ["decision_note"])
            records = [prepared.insert(AuditRecord(actor=officer, action="together", object_repr=str(n)))
                       for n in range(3)]  # fmt: skip
            event = prepared.insert(OutboxEvent(type="dossier.accepted", dossier=dossier, data={}))
            # A read inside is answered after the statements before it.
            assert Dossier.objects.get(pk=dossier.pk).decision_note == "Cùng lúc"
        # The keys the database made are on the objects once the block is over.
        stored = {r.pk: r.object_repr for r in AuditRecord.objects.filter(action="together", actor=officer)}
        assert stored == {record.pk: record.object_repr for record in records}
        assert all(isinstance(record.pk, int) for record in records)
    assert OutboxEvent.objects.filter(pk=event.pk).exists()


def test_an_error_sent_together_is_raised_as_django_raises_it_and_nothing_stays(demo, dossier):
    taken = prepared.insert(OutboxEvent(type="dossier.accepted", dossier=dossier, data={}))
    before = AuditRecord.objects.count()
    with pytest.raises(IntegrityError), transaction.atomic(), prepared.together():
        prepared.insert(AuditRecord(action="lost with the change"))
        prepared.insert(OutboxEvent(pk=taken.pk, type="dossier.accepted", dossier=dossier, data={}))
    assert AuditRecord.objects.count() == before
    assert not AuditRecord.objects.filter(action="lost with the change").exists()


def test_an_expression_sent_together_is_written(demo, dossier):
    before = Dossier.objects.get(pk=dossier.pk).fee_amount
    with transaction.atomic():
        with prepared.together():
            dossier.fee_amount = F("fee_amount") + 7
            prepared.update(dossier, ["fee_amount"])
        assert Dossier.objects.get(pk=dossier.pk).fee_amount == before + 7
