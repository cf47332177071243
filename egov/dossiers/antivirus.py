"""The antivirus hook: files are streamed to ClamAV (clamd) when EGOV_CLAMAV_ADDRESS is set.

``unix:///run/clamav/clamd.ctl`` or ``tcp://127.0.0.1:3310``. Without it nothing is
scanned (the content checks still apply); with it, a file is accepted only on an "OK".
"""

import socket
import struct
from urllib.parse import urlparse

from django.conf import settings

CHUNK = 64 * 1024


class ScanError(RuntimeError):
    pass


def _connect(address):
    parsed = urlparse(address)
    if parsed.scheme == "unix":
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.connect(parsed.path)
    else:
        sock = socket.create_connection((parsed.hostname, parsed.port or 3310))
    sock.settimeout(30)
    return sock


def scan(fileobj):
    """None when clean or when no scanner is configured; the signature name when infected."""
    address = getattr(settings, "EGOV_CLAMAV_ADDRESS", "")
    if not address:
        return None
    fileobj.seek(0)
    try:
        with _connect(address) as sock:
            sock.sendall(b"zINSTREAM\0")
            while chunk := fileobj.read(CHUNK):
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            answer = b""
            while not answer.endswith(b"\0"):
                part = sock.recv(4096)
                if not part:
                    break
                answer += part
    except OSError as exc:
        raise ScanError(f"the virus scanner cannot be reached: {exc}") from exc
    finally:
        fileobj.seek(0)
    text = answer.rstrip(b"\0").decode(errors="replace")
    if text.endswith("OK"):
        return None
    if text.endswith("FOUND"):
        return text.split(":", 1)[-1].removesuffix("FOUND").strip()
    raise ScanError(f"unexpected scanner answer: {text[:100]}")
