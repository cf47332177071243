"""A citizen pays a fee online in a real browser: to the gateway simulator and back, the
gateway's notification arriving on its own; the e-receipt appears on the dossier's page."""

import pytest

from tests.dossiers.helpers import act, file_dossier, officer_for, open_tasks, sample_data

from .conftest import shoot

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_citizen_pays_online_and_gets_the_e_receipt(page_for, demo, gateway, live_server):
    from egov.dossiers.models import Dossier
    from egov.payments.models import Transaction

    gateway.ipn_url = f"{live_server.url}/api/v1/payments/vnpay/ipn/"
    gateway.ipn_delay = 1.0  # the payer is back first; the notification follows
    filed = file_dossier(demo["congdan"], "2.001417", {**sample_data("2.001417"), "fee_category": "standard"})
    intake = open_tasks(filed["id"], demo["quantri"])[0]
    assert act(officer_for(intake), intake["id"], "accept").status_code == 200
    assert Dossier.objects.get(pk=filed["id"]).status == Dossier.Status.AWAITING_PAYMENT

    page = page_for("congdan")
    page.goto(f"/my/dossiers/{filed['id']}/")
    page.click("#fee button[name=provider][value=vnpay]")
    page.wait_for_url("**/paymentv2/vpcpay.html?**")
    page.wait_for_selector("#amount")
    assert page.inner_text("#amount") == "200.000 VND"
    shoot(page, "desktop-gateway-simulator")
    page.click("#pay")
    page.wait_for_url(f"**/my/dossiers/{filed['id']}/")
    assert "200.000" in page.inner_text("ul.messages")
    dossier = Dossier.objects.get(pk=filed["id"])
    assert dossier.payment_status == "paid" and dossier.status == Dossier.Status.IN_PROGRESS
    for _ in range(50):  # the simulator's notification, a second later, is answered "already confirmed"
        if gateway.transactions[Transaction.objects.get().reference].get("ipn"):
            break
        page.wait_for_timeout(200)
    assert gateway.transactions[Transaction.objects.get().reference]["ipn"] == "02"
    page.reload()
    assert page.locator("a", has_text="Fee receipt").count() == 1
    shoot(page, "desktop-paid-online")
