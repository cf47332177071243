"""Paying a fee online through a gateway speaking VNPAY's protocol (issue 24): the simulator
plays the gateway's side; each ugly case settles once, moves the dossier once, and is audited."""

import datetime
import urllib.parse

import pytest
from django.test import Client
from django.utils import timezone

from egov.audit.models import AuditRecord
from egov.common.vocabulary import Role
from egov.dossiers import services
from egov.dossiers.models import Dossier, Payment
from egov.integrations.models import OutboxEvent
from egov.payments import services as payments
from egov.payments.models import Refund, Transaction
from tests.factories import commune, step, submitted, text

pytestmark = pytest.mark.django_db
FEE = 100_000


@pytest.fixture
def world(gateway):
    """A commune charging 100,000 đ before it handles a dossier."""
    return commune(fees=[{"code": "fee", "name": text("Lệ phí", "Fee"), "amount": FEE}],
                   payment="before_processing",
                   steps=[step("appraise", Role.CASE_OFFICER, ["forward", "reject"])])  # fmt: skip


@pytest.fixture
def awaiting(world, django_capture_on_commit_callbacks):
    """A dossier accepted at the desk, waiting for its fee."""
    with django_capture_on_commit_callbacks(execute=True):
        dossier = submitted(world)
        services.complete_task(world.intake, dossier.tasks.get(kind="intake").pk, "accept", {})
    dossier.refresh_from_db()
    assert dossier.status == Dossier.Status.AWAITING_PAYMENT
    return dossier


def pay_at_gateway(gateway, dossier, citizen, action="pay"):
    """Through the simulator's payment page over HTTP: the signed result it sends back."""
    import urllib.request

    url = payments.start(citizen, dossier, "vnpay", "https://dichvucong.example/payments/vnpay/return/", "10.0.0.1")
    with urllib.request.urlopen(url) as page:
        assert b"100.000 VND" in page.read()
    reference = dict(urllib.parse.parse_qsl(url.split("?", 1)[1]))["vnp_TxnRef"]
    return gateway_decides(gateway, reference, action)


def gateway_decides(gateway, reference, action="pay"):
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    data = urllib.parse.urlencode({"ref": reference, "action": action}).encode()
    try:
        opener.open(f"{gateway.base}/paymentv2/decide", data=data)
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 302
        return dict(urllib.parse.parse_qsl(redirect.headers["Location"].split("?", 1)[1]))
    raise AssertionError("the gateway did not send the payer back")


def ipn(params):
    return Client().get("/api/v1/payments/vnpay/ipn/", params).json()["RspCode"]


def paid_events(dossier):
    return OutboxEvent.objects.filter(dossier=dossier, type="dossier.paid").count()


def test_the_notification_before_the_return_settles_once(world, awaiting, gateway, django_capture_on_commit_callbacks):
    result = pay_at_gateway(gateway, awaiting, world.citizen)
    with django_capture_on_commit_callbacks(execute=True):
        assert ipn(result) == "00"
    awaiting.refresh_from_db()
    assert awaiting.status == Dossier.Status.IN_PROGRESS and awaiting.payment_status == Dossier.Payment.PAID
    payment = awaiting.payments.get()
    assert (payment.provider, payment.status, payment.reference) == ("vnpay", "paid", result["vnp_TransactionNo"])
    citizen = Client()
    citizen.force_login(world.citizen)
    back = citizen.get("/payments/vnpay/return/", result)  # the payer comes back afterwards
    assert back.status_code == 302 and back["Location"].endswith(f"/my/dossiers/{awaiting.pk}/")
    assert ipn(result) == "02"  # the gateway retries: already confirmed
    assert paid_events(awaiting) == 1 and awaiting.handovers.filter(outcome="paid").count() == 1
    assert Transaction.objects.get().notified_at and Transaction.objects.get().returned_at
    assert AuditRecord.objects.filter(action="payment.paid").count() == 1


def test_the_return_without_a_notification_settles_and_the_late_one_changes_nothing(world, awaiting, gateway):
    result = pay_at_gateway(gateway, awaiting, world.citizen)
    citizen = Client()
    citizen.force_login(world.citizen)
    page = citizen.get("/payments/vnpay/return/", result, follow=True)
    assert "100.000" in page.content.decode()
    awaiting.refresh_from_db()
    assert awaiting.status == Dossier.Status.IN_PROGRESS
    assert ipn(result) == "02" and ipn(result) == "02"
    assert paid_events(awaiting) == 1


def test_a_forged_or_altered_answer_changes_nothing(world, awaiting, gateway):
    result = pay_at_gateway(gateway, awaiting, world.citizen)
    assert ipn({**result, "vnp_SecureHash": "0" * 128}) == "97"
    assert ipn({**result, "vnp_Amount": "100"}) == "97"  # altered after signing
    assert ipn({k: v for k, v in result.items() if k != "vnp_SecureHash"}) == "97"
    citizen = Client()
    citizen.force_login(world.citizen)
    assert citizen.get("/payments/vnpay/return/", {**result, "vnp_ResponseCode": "00", "vnp_TxnRef": "X"}).status_code == 404
    awaiting.refresh_from_db()
    assert awaiting.status == Dossier.Status.AWAITING_PAYMENT and paid_events(awaiting) == 0
    assert AuditRecord.objects.filter(action="payment.forged").count() == 4


def test_an_amount_that_is_not_the_fee_is_refused(world, awaiting, gateway):
    from gateway_simulator.gateway import hmac512, signed_text

    result = pay_at_gateway(gateway, awaiting, world.citizen)
    cheaper = {k: v for k, v in result.items() if k != "vnp_SecureHash"} | {"vnp_Amount": str(1_000 * 100)}
    cheaper["vnp_SecureHash"] = hmac512(gateway.secret, signed_text(cheaper))  # signed, but not the fee
    assert ipn(cheaper) == "04"
    awaiting.refresh_from_db()
    assert awaiting.status == Dossier.Status.AWAITING_PAYMENT
    assert AuditRecord.objects.filter(action="payment.amount_mismatch").exists()
    assert ipn(result) == "00"  # the real answer still settles it


def test_a_cancelled_payment_leaves_the_fee_due_and_a_new_attempt_has_a_new_reference(world, awaiting, gateway):
    result = pay_at_gateway(gateway, awaiting, world.citizen, action="cancel")
    assert ipn(result) == "00"  # confirmed as received: not paid
    assert Transaction.objects.get().status == Transaction.Status.FAILED
    awaiting.refresh_from_db()
    assert awaiting.status == Dossier.Status.AWAITING_PAYMENT
    second = pay_at_gateway(gateway, awaiting, world.citizen)
    assert second["vnp_TxnRef"] != result["vnp_TxnRef"] and ipn(second) == "00"
    assert Transaction.objects.filter(status="paid").count() == 1


def test_money_for_a_withdrawn_dossier_goes_back_through_the_gateway(world, awaiting, gateway,
                                                                    django_capture_on_commit_callbacks):  # fmt: skip
    result = pay_at_gateway(gateway, awaiting, world.citizen)
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(world.citizen, Dossier.objects.get(pk=awaiting.pk), "Không cần nữa")
    with django_capture_on_commit_callbacks(execute=True):
        assert ipn(result) == "00"  # the payment arrives after the withdrawal
    refund = Refund.objects.get()
    assert (refund.reason, refund.status, refund.amount, refund.last_error) == ("closed", "done", FEE, "")
    assert gateway.transactions[result["vnp_TxnRef"]]["refunded"] == FEE * 100
    awaiting.refresh_from_db()
    assert awaiting.status == Dossier.Status.WITHDRAWN and paid_events(awaiting) == 0


def test_a_paid_fee_is_refunded_when_the_dossier_is_rejected(world, awaiting, gateway,
                                                            django_capture_on_commit_callbacks):  # fmt: skip
    result = pay_at_gateway(gateway, awaiting, world.citizen)
    with django_capture_on_commit_callbacks(execute=True):
        assert ipn(result) == "00"
    task = awaiting.tasks.get(kind="step", status="NEW")
    with django_capture_on_commit_callbacks(execute=True):
        services.complete_task(world.case_officer, task.pk, "reject", {}, "Không đủ điều kiện.")
    refund = Refund.objects.get()
    assert (refund.reason, refund.status) == ("refused", "done")
    assert gateway.transactions[result["vnp_TxnRef"]]["refunded"] == FEE * 100
    assert AuditRecord.objects.filter(action__in=["payment.refund_queued", "payment.refunded"]).count() == 2


def test_silence_is_reconciled_by_asking_the_gateway(world, awaiting, gateway, django_capture_on_commit_callbacks):
    pay_at_gateway(gateway, awaiting, world.citizen)  # paid at the gateway; no IPN, the payer never came back
    lost = payments.start(world.citizen, awaiting, "vnpay", "https://x.example/r/", "10.0.0.1")  # never reached it
    later = timezone.now() + datetime.timedelta(minutes=20)
    with django_capture_on_commit_callbacks(execute=True):
        counts = payments.reconcile(now=later)
    assert counts == {"asked": 2, "settled": 1, "expired": 0, "unreachable": 0}
    awaiting.refresh_from_db()
    assert awaiting.status == Dossier.Status.IN_PROGRESS and paid_events(awaiting) == 1
    assert payments.reconcile(now=timezone.now() + datetime.timedelta(hours=3))["expired"] == 1
    assert Transaction.objects.get(reference=dict(urllib.parse.parse_qsl(lost.split("?")[1]))["vnp_TxnRef"]).status \
        == Transaction.Status.EXPIRED


def test_the_e_receipt_and_the_online_payment_figure(world, awaiting, gateway, django_capture_on_commit_callbacks):
    import pypdfium2

    from egov.documents.models import Document
    from egov.stats.index import score
    from egov.stats.periods import Period
    from egov.stats.rollups import differences
    from egov.stats.selectors import figures

    result = pay_at_gateway(gateway, awaiting, world.citizen)
    with django_capture_on_commit_callbacks(execute=True):
        assert ipn(result) == "00"
    receipt = Document.objects.get(dossier=awaiting, kind="fee_receipt", status="ready")
    pdf = pypdfium2.PdfDocument(receipt.file.open("rb").read())
    words = " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in pdf)
    assert "100.000 đ" in words and result["vnp_TransactionNo"] in words and receipt.verification_code in words
    today = timezone.localdate()
    counted = figures(today, today, world.agency)
    assert (counted["fees_paid"], counted["paid_online"]) == (1, 1)
    assert differences(today, today) == []
    index = score(Period(today.year, month=today.month), world.agency)
    online = next(c for g in index["groups"] for c in g["components"] if c["key"] == "online_payment")
    assert online["points"] == 8


def test_the_counter_is_one_provider_among_others(world, awaiting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_payment(world.intake, awaiting, reference="BL-0001")
    payment = Payment.objects.get(dossier=awaiting)
    assert (payment.provider, payment.status) == ("counter", "paid")
    today = timezone.localdate()
    from egov.stats.selectors import figures

    assert (figures(today, today)["fees_paid"], figures(today, today)["paid_online"]) == (1, 0)


def test_only_the_applicant_pays_and_only_a_fee_due(world, awaiting, gateway):
    from egov.common.errors import InvalidInput, NotFound
    from tests.factories import CitizenFactory

    with pytest.raises(NotFound):
        payments.start(CitizenFactory(), awaiting, "vnpay", "https://x.example/", "")
    with pytest.raises(InvalidInput):
        payments.start(world.citizen, awaiting, "counter", "https://x.example/", "")
    Payment.objects.filter(dossier=awaiting).update(status="cancelled")
    with pytest.raises(InvalidInput):
        payments.start(world.citizen, awaiting, "vnpay", "https://x.example/", "")
    assert Transaction.objects.count() == 0


def test_a_gateway_half_configured_fails_the_start_up_check(settings):
    from egov.payments.checks import providers_configured

    settings.EGOV_VNPAY_HASH_SECRET = ""
    assert [error.id for error in providers_configured(None)] == ["egov.payments.E001"]
    settings.EGOV_VNPAY_PAY_URL = settings.EGOV_VNPAY_API_URL = settings.EGOV_VNPAY_TMN_CODE = ""
    assert providers_configured(None) == []  # none at all: no online payment, which is allowed
    from egov.payments.providers import online_providers

    assert online_providers() == []


def test_an_exemption_is_claimed_with_its_evidence(demo):
    """The criminal record procedure: exempt applicants pay nothing and must show why."""
    from egov.dossiers.services.applying import missing_documents
    from tests.dossiers.helpers import sample_data

    citizen = demo["congdan"]
    exempt = services.create_draft(citizen, "2.001417", {**sample_data("2.001417"), "fee_category": "exempt"})
    assert "fee_proof" in missing_documents(exempt)
    standard = services.create_draft(citizen, "2.001417", {**sample_data("2.001417"), "fee_category": "standard"})
    assert "fee_proof" not in missing_documents(standard)
    from tests.dossiers.helpers import file_dossier

    filed = Dossier.objects.get(pk=file_dossier(citizen, "2.001417", exempt.data)["id"])
    assert (filed.fee_amount, filed.payment_status, filed.payments.count()) == (0, "not_required", 0)
