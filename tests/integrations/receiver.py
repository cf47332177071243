"""A real HTTP receiver for webhooks, started by the tests.

By default it acknowledges with 204. ``down`` answers 503; ``answer`` (status, reason phrase,
body) or ``raw`` (bytes written instead of an HTTP answer) play a receiver that says more
than it should. With ``tls`` (a certificate file and its key) it speaks https and records
the TLS server name (SNI) each connection asked for.
"""

import json
import ssl
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer


class Receiver:
    def __init__(self, tls=None, host_name=None):
        self.received = []
        self.server_names = []
        self.down = False
        self.answer = None  # (status, reason phrase, body)
        self.raw = None
        self.server = HTTPServer(("127.0.0.1", 0), self._handler())
        port = self.server.server_address[1]
        if tls is not None:
            context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            context.load_cert_chain(*tls)
            context.sni_callback = self._note_server_name
            self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"{'https' if tls else 'http'}://{host_name or '127.0.0.1'}:{port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()

    def _note_server_name(self, _socket, name, _context):
        self.server_names.append(name)

    def _handler(self):
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if receiver.down:
                    self.send_response(503)
                    self.end_headers()
                    return
                if receiver.raw is not None:
                    self.wfile.write(receiver.raw)
                    self.close_connection = True
                    return
                receiver.received.append({"headers": dict(self.headers), "body": body, "event": json.loads(body)})
                if receiver.answer is not None:
                    status, reason, text = receiver.answer
                    self.send_response(status, reason)
                    self.send_header("Content-Length", str(len(text)))
                    self.end_headers()
                    self.wfile.write(text)
                    return
                self.send_response(204)
                self.end_headers()

        return Handler
