import pytest

from egov.integrations import relay
from egov.integrations.tasks import dispatch_events


@pytest.fixture
def sent(monkeypatch):
    """A web process of production: no relay runs here and the messages a relay sends are
    recorded at the broker's door (``dispatch_events.apply_async``) instead of sent."""
    log = []
    monkeypatch.setattr(dispatch_events, "apply_async", lambda args=(), **options: log.append(list(args[0])))
    relay.stop_relay()
    yield log
    relay.start_relay(relay.InlineRelay())  # the tests' own (egov/integrations/apps.py)


@pytest.fixture
def receiver():
    from .receiver import Receiver

    running = Receiver()
    yield running
    running.stop()


class MadeUpNames:
    """Host names the tests make up, answered as they say: ``add(name, first, then, …)``, each
    answer an address or a list of them, one answer per lookup (the last one repeats), to play
    a name that changes between lookups (DNS rebinding). ``lookups`` lists the names looked up.
    Address literals and other names resolve as usual; an unknown ``.test`` name does not."""

    def __init__(self, real):
        self.real, self.answers, self.lookups = real, {}, []

    def add(self, name, *answers):
        self.answers[name] = [[answer] if isinstance(answer, str) else list(answer) for answer in answers]

    def getaddrinfo(self, host, port, family=0, type=0, proto=0, flags=0):
        import socket

        if host not in self.answers:
            if str(host).endswith(".test"):
                raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
            return self.real(host, port, family, type, proto, flags)
        self.lookups.append(host)
        queue = self.answers[host]
        answer = queue.pop(0) if len(queue) > 1 else queue[0]
        return [
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", (address, port, 0, 0)) if ":" in address
            else (socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))
            for address in answer
        ]  # fmt: skip


@pytest.fixture
def dns(monkeypatch):
    import socket

    names = MadeUpNames(socket.getaddrinfo)
    monkeypatch.setattr(socket, "getaddrinfo", names.getaddrinfo)
    return names


@pytest.fixture(scope="session")
def certificates(tmp_path_factory):
    """A certificate authority of the tests and two server certificates it signed: ``good`` for
    hooks.example.test, ``wrong`` for other.example.test (files: ``ca``, ``(certificate, key)``)."""
    import datetime
    from types import SimpleNamespace

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    folder = tmp_path_factory.mktemp("tls")
    now = datetime.datetime.now(datetime.UTC)

    def name(text):
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, text)])

    def build(subject, issuer, public_key, signing_key, ca=False, dns_name=None):
        builder = (
            x509.CertificateBuilder().subject_name(name(subject)).issuer_name(name(issuer))
            .public_key(public_key).serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(hours=1)).not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )  # fmt: skip
        if ca:
            builder = builder.add_extension(
                x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                              data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                              encipher_only=False, decipher_only=False), critical=True,
            ).add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)  # fmt: skip
        if dns_name:
            builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(dns_name)]), critical=False)
        return builder.sign(signing_key, hashes.SHA256())

    def write(filename, certificate, key=None):
        path = folder / filename
        path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
        if key is None:
            return str(path)
        key_path = folder / f"{filename}.key"
        key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                               serialization.NoEncryption()))  # fmt: skip
        return str(path), str(key_path)

    ca_key = ec.generate_private_key(ec.SECP256R1())
    authority = build("Mot Cua test CA", "Mot Cua test CA", ca_key.public_key(), ca_key, ca=True)
    servers = {}
    for label, host in (("good", "hooks.example.test"), ("wrong", "other.example.test")):
        key = ec.generate_private_key(ec.SECP256R1())
        servers[label] = write(f"{label}.pem", build(host, "Mot Cua test CA", key.public_key(), ca_key,
                                                      dns_name=host), key)  # fmt: skip
    return SimpleNamespace(ca=write("ca.pem", authority), **servers)
