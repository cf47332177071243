import pytest
from rest_framework.test import APIClient

from egov.catalog.models import pinned_spec


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttles and lockouts count in the cache; each test starts with none counted.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fresh_pinned_versions():
    # Each test starts from its own database, where version ids are used again: the process's
    # parsed versions (keyed on the id, as in production where an id is never reused) too.
    pinned_spec.cache_clear()
    yield
    pinned_spec.cache_clear()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def demo_agencies(db):
    """The demo province's agency tree."""
    import yaml

    from egov.agencies.models import Agency
    from egov.agencies.services import import_agencies
    from egov.demo.management.commands.seed_demo import DATA

    import_agencies(yaml.safe_load((DATA / "agencies.yaml").read_text(encoding="utf-8")))
    return {agency.code: agency for agency in Agency.objects.all()}


@pytest.fixture
def demo(db):
    """The whole demo province: agencies, one user per role, the demo procedures published."""
    from io import StringIO

    from django.core.management import call_command

    from egov.accounts.models import User

    call_command("seed_demo", stdout=StringIO())
    return {user.username: user for user in User.objects.all()}


def make_pdf(pages=1):
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_png():
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def pdf_file():
    from django.core.files.uploadedfile import SimpleUploadedFile

    def build(name="paper.pdf"):
        return SimpleUploadedFile(name, make_pdf(), content_type="application/pdf")

    return build


@pytest.fixture
def gateway(settings):
    """The payment gateway simulator (gateway_simulator/), served on a free loopback port in a
    thread, with the product's VNPAY settings pointed at it. ``gateway.ipn_url`` is empty (no
    IPN) until a test sets it (a live server's address)."""
    import socketserver
    import threading
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    from gateway_simulator.gateway import Gateway

    class Server(socketserver.ThreadingMixIn, WSGIServer):
        daemon_threads = True

    class Quiet(WSGIRequestHandler):
        def log_message(self, *args):
            pass

    simulated = Gateway("TESTMERCHANT", "test-secret-0123456789abcdef", ipn_attempts=3, ipn_delay=0.2,
                        log=lambda text: None)  # fmt: skip
    server = make_server("127.0.0.1", 0, simulated, server_class=Server, handler_class=Quiet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    settings.EGOV_VNPAY_PAY_URL = f"{base}/paymentv2/vpcpay.html"
    settings.EGOV_VNPAY_API_URL = f"{base}/merchant_webapi/api/transaction"
    settings.EGOV_VNPAY_TMN_CODE = simulated.tmn_code
    settings.EGOV_VNPAY_HASH_SECRET = simulated.secret
    settings.EGOV_FORM_ACTION_ORIGINS = [base]
    simulated.base = base
    yield simulated
    server.shutdown()
    server.server_close()
