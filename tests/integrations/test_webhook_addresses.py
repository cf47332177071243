"""Where webhooks may go (security review L2): https to public addresses only, checked when a
subscription is saved and again before every POST, the checked address pinned for the
connection (a name rebound to 127.0.0.1 after the check reaches nothing inside), the
certificate verified against the name; the body of an answer is never stored.

The other tests post to a receiver on 127.0.0.1 over http, which the test settings allow
(EGOV_WEBHOOK_ALLOW_PRIVATE); here it is off, as in production, unless a test says why."""

from unittest import mock

import pytest
import urllib3
from django.core.exceptions import ValidationError
from django.utils import timezone

from egov.integrations import outbound, webhooks
from egov.integrations.clients import register_client
from egov.integrations.models import OutboxEvent, Scope, WebhookDelivery, WebhookSubscription
from tests.factories import administrator, commune, submitted

from .receiver import Receiver

pytestmark = pytest.mark.django_db

PUBLIC = "93.184.216.34"  # a public address; nothing in these tests connects to it
SECRET = b"INTERNAL-ONLY: db_password=hunter2; aws_secret=AKIAEXAMPLE"

REFUSED = [
    "http://hooks.example.test/hooks",  # plain http, even to a public address
    "https://127.0.0.1/hooks",
    "https://127.8.9.10/hooks",
    "https://10.1.2.3/hooks",
    "https://172.16.0.1/hooks",
    "https://192.168.1.1/hooks",
    "https://100.64.0.1/hooks",  # carrier-grade NAT
    "https://169.254.169.254/latest/meta-data/",  # link-local: the cloud's metadata service
    "https://224.0.0.1/hooks",  # multicast
    "https://240.0.0.1/hooks",  # reserved
    "https://0.0.0.0/hooks",  # unspecified
    "https://[::1]/hooks",  # IPv6 loopback
    "https://[::]/hooks",
    "https://[fe80::1]/hooks",  # IPv6 link-local
    "https://[fd12:3456::1]/hooks",  # IPv6 unique local (private)
    "https://[fec0::1]/hooks",  # IPv6 site-local
    "https://[ff02::1]/hooks",  # IPv6 multicast
    "https://[::ffff:127.0.0.1]/hooks",  # IPv4-mapped loopback
    "https://[64:ff9b::a00:1]/hooks",  # NAT64 of 10.0.0.1
    "https://intranet.example.test/hooks",  # a name resolving to 127.0.0.1
    "https://mixed.example.test/hooks",  # one public address and one private
    "https://nowhere.example.test/hooks",  # a name that does not resolve
]


@pytest.fixture
def production(settings):
    settings.EGOV_WEBHOOK_ALLOW_PRIVATE = False
    return settings


@pytest.fixture
def names(dns):
    dns.add("hooks.example.test", PUBLIC)
    dns.add("intranet.example.test", "127.0.0.1")
    dns.add("mixed.example.test", [PUBLIC, "10.0.0.7"])
    return dns


@pytest.fixture
def app(db):
    return register_client("Ứng dụng thử", [Scope.EVENTS_RECEIVE, Scope.DOSSIERS_READ])


@pytest.fixture
def event(db):
    """An event of a submitted dossier, which the app (it reads every dossier) may receive."""
    return OutboxEvent.objects.filter(dossier=submitted(commune()), type="dossier.submitted").get()


def pending(subscription, event):
    WebhookDelivery.objects.filter(subscription=subscription).delete()
    return WebhookDelivery.objects.create(subscription=subscription, event=event)


@pytest.mark.parametrize(
    "address, public",
    [("8.8.8.8", True), ("2606:4700::1111", True), ("64:ff9b::808:808", True), ("::ffff:8.8.8.8", True),
     ("127.0.0.1", False), ("::1", False), ("169.254.1.1", False), ("fe80::1", False), ("10.0.0.1", False),
     ("fc00::1", False), ("224.0.0.1", False), ("ff02::1", False), ("0.0.0.0", False), ("::", False),
     ("240.0.0.1", False), ("::ffff:10.0.0.1", False), ("64:ff9b::7f00:1", False), ("2002:7f00:1::", False),
     ("fec0::1", False)],
)  # fmt: skip
def test_public_addresses(address, public):
    assert outbound.is_public(address) is public


def test_unsafe_urls_are_refused_when_saved(production, names, app):
    for url in REFUSED:
        subscription = WebhookSubscription(client=app, url=url)
        with pytest.raises(ValidationError) as refused:
            subscription.full_clean()
        assert list(refused.value.message_dict) == ["url"], url
    message = " ".join(refused.value.message_dict["url"])
    assert "could not be resolved" in message
    with pytest.raises(ValidationError) as refused:
        WebhookSubscription(client=app, url="https://intranet.example.test/hooks").full_clean()
    assert "127.0.0.1, which is not a public address" in refused.value.message_dict["url"][0]
    with pytest.raises(ValidationError) as refused:
        WebhookSubscription(client=app, url="http://hooks.example.test/hooks").full_clean()
    assert "https://" in refused.value.message_dict["url"][0]
    WebhookSubscription(client=app, url="https://hooks.example.test/hooks").full_clean()  # public and https


def test_the_admin_refuses_an_unsafe_url_with_a_clear_message(production, names, app, client):
    client.force_login(administrator())
    page = f"/admin/integrations/apiclient/{app.pk}/change/"
    assert client.get(page).status_code == 200
    form = {
        "name": app.name, "contact": "", "contact_email": "", "scopes": app.scopes, "procedures": "[]",
        "rate": app.rate, "active": "on",
        "subscriptions-TOTAL_FORMS": "1", "subscriptions-INITIAL_FORMS": "0",
        "subscriptions-MIN_NUM_FORMS": "0", "subscriptions-MAX_NUM_FORMS": "1000",
        "subscriptions-0-url": "https://169.254.169.254/latest/meta-data/", "subscriptions-0-event_types": "[]",
        "subscriptions-0-procedures": "[]", "subscriptions-0-agencies": "[]", "subscriptions-0-active": "on",
    }  # fmt: skip
    answer = client.post(page, form)
    assert answer.status_code == 200  # the form again, with the error
    assert "169.254.169.254, which is not a public address" in answer.content.decode()
    assert not WebhookSubscription.objects.exists()
    form["subscriptions-0-url"] = "https://hooks.example.test/hooks"
    assert client.post(page, form).status_code == 302
    assert WebhookSubscription.objects.get().url == "https://hooks.example.test/hooks"


def test_unsafe_urls_are_refused_at_send_time(production, names, app, event, receiver):
    """Saved before the check existed, or by a script that skipped it: nothing is posted."""
    port = receiver.url.split(":")[2].split("/")[0]
    subscription = WebhookSubscription.objects.create(client=app, url=receiver.url)  # http://127.0.0.1:port
    urls = [receiver.url, f"https://127.0.0.1:{port}/hooks", f"https://[::1]:{port}/hooks",
            f"https://169.254.169.254:{port}/hooks", f"https://intranet.example.test:{port}/hooks",
            f"https://[::ffff:127.0.0.1]:{port}/hooks"]  # fmt: skip
    for url in urls:
        WebhookSubscription.objects.filter(pk=subscription.pk).update(url=url)
        delivery = webhooks.deliver(pending(subscription, event).pk)
        assert delivery.status == "pending" and delivery.attempts == 1 and delivery.last_status_code is None, url
        assert delivery.last_error.startswith("UnsafeURL: "), (url, delivery.last_error)
    assert "127.0.0.1, which is not a public address" in delivery.last_error
    assert receiver.received == []


def test_the_checked_address_is_pinned_against_dns_rebinding(production, dns, app, event):
    """The name answers a public address for the check, then 127.0.0.1: the connection goes to
    the address checked, the name is not looked up again; the name travels in the Host
    header and the TLS server name, and the certificate is verified against it."""
    dns.add("hooks.example.test", PUBLIC, "127.0.0.1")
    subscription = WebhookSubscription.objects.create(client=app, url="https://hooks.example.test/hooks?x=1")
    seen = {}

    def answer(pool, method, url, body=None, headers=None, **options):
        seen.update(host=pool.host, port=pool.port, url=url, headers=headers, options=options,
                    connection=pool.conn_kw, cert_reqs=pool.cert_reqs, assert_hostname=pool.assert_hostname)  # fmt: skip
        return mock.Mock(status=204)

    with mock.patch.object(urllib3.HTTPSConnectionPool, "urlopen", autospec=True, side_effect=answer):
        delivery = webhooks.deliver(pending(subscription, event).pk)
    assert delivery.status == "delivered"
    assert dns.lookups == ["hooks.example.test"]  # once: the check's answer is the one used
    assert (seen["host"], seen["port"], seen["url"]) == (PUBLIC, 443, "/hooks?x=1")
    assert seen["headers"]["Host"] == "hooks.example.test"
    assert seen["connection"]["server_hostname"] == "hooks.example.test"  # SNI
    assert seen["assert_hostname"] == "hooks.example.test" and seen["cert_reqs"] == "CERT_REQUIRED"
    assert seen["options"]["redirect"] is False and seen["options"]["preload_content"] is False


def test_over_tls_the_name_is_sent_and_the_certificate_verified(settings, dns, app, event, certificates, monkeypatch):
    """A real https receiver on 127.0.0.1 (allowed here: a closed network's setting) that the
    name resolves to: the POST arrives with the name as SNI and Host; a receiver whose
    certificate is for another name gets nothing."""
    settings.EGOV_WEBHOOK_ALLOW_PRIVATE = True
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certificates.ca)  # the tests' own authority
    dns.add("hooks.example.test", "127.0.0.1")
    good = Receiver(tls=certificates.good, host_name="hooks.example.test")
    wrong = Receiver(tls=certificates.wrong, host_name="hooks.example.test")
    try:
        subscription = WebhookSubscription.objects.create(client=app, url=good.url)
        assert webhooks.deliver(pending(subscription, event).pk).status == "delivered"
        assert good.server_names == ["hooks.example.test"]
        assert good.received[0]["headers"]["Host"] == good.url.split("/")[2]  # hooks.example.test:port
        WebhookSubscription.objects.filter(pk=subscription.pk).update(url=wrong.url)
        delivery = webhooks.deliver(pending(subscription, event).pk)
        assert delivery.status == "pending" and delivery.last_error.startswith("SSLError: TLS failed")
        assert wrong.received == []
    finally:
        good.stop()
        wrong.stop()


def test_an_answer_s_body_is_never_stored(app, event, receiver):
    """A receiver (or an internal service an SSRF reached) answers 500 with its secrets in the
    body and in the reason phrase: the delivery log keeps the status only."""
    subscription = WebhookSubscription.objects.create(client=app, url=receiver.url)
    receiver.answer = (500, "db_password=hunter2", SECRET)
    delivery = webhooks.deliver(pending(subscription, event).pk)
    assert delivery.last_status_code == 500 and delivery.last_error == "HTTP 500"
    receiver.answer = (302, "Found hunter2", SECRET)
    delivery = webhooks.deliver(pending(subscription, event).pk)
    assert delivery.last_status_code == 302 and delivery.last_error.startswith("HTTP 302 ")
    receiver.raw = b"HTTP/1.1 9xx " + SECRET + b"\r\n\r\n"  # not even HTTP: the error quotes the line
    delivery = webhooks.deliver(pending(subscription, event).pk)
    assert delivery.last_status_code is None and delivery.last_error.startswith("ProtocolError")
    stored = [str(value) for row in WebhookDelivery.objects.values() for value in row.values()]
    assert not any("hunter2" in value or "AKIA" in value for value in stored)


def test_no_answer_is_recorded_as_its_kind_of_error(app, event):
    """A port nobody listens on: the error's class and our own short reason."""
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    subscription = WebhookSubscription.objects.create(client=app, url=f"http://127.0.0.1:{port}/hooks")
    delivery = webhooks.deliver(pending(subscription, event).pk)
    assert delivery.status == "pending" and delivery.next_attempt_at > timezone.now()
    assert delivery.last_error == "NewConnectionError: could not connect"
