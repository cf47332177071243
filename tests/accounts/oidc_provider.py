"""A small OpenID Connect provider for the tests, standing in for the national e-ID.

It implements what a relying party uses: the authorization endpoint (redirects back with a
code), the token endpoint (an HS256-signed ID token carrying the nonce) and userinfo.
"""

import json
import threading
import time
import urllib.parse
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt


class Provider:
    def __init__(self, client_id, client_secret, claims):
        self.client_id, self.client_secret, self.claims = client_id, client_secret, claims
        self.codes, self.tokens = {}, {}
        self.server = HTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status, body):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):  # noqa: N802
                parsed = urllib.parse.urlparse(self.path)
                query = dict(urllib.parse.parse_qsl(parsed.query))
                if parsed.path == "/authorize":
                    if query.get("client_id") != provider.client_id:
                        return self._json(400, {"error": "unauthorized_client"})
                    code = uuid.uuid4().hex
                    provider.codes[code] = query.get("nonce")
                    target = query["redirect_uri"] + "?" + urllib.parse.urlencode(
                        {"code": code, "state": query["state"]})
                    self.send_response(302)
                    self.send_header("Location", target)
                    return self.end_headers()
                if parsed.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if token not in provider.tokens:
                        return self._json(401, {"error": "invalid_token"})
                    return self._json(200, provider.claims)
                return self._json(404, {"error": "not_found"})

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length", 0))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                if self.path != "/token" or form.get("client_secret") != provider.client_secret:
                    return self._json(401, {"error": "invalid_client"})
                if form.get("code") not in provider.codes:
                    return self._json(400, {"error": "invalid_grant"})
                nonce = provider.codes.pop(form["code"])
                now = int(time.time())
                id_token = jwt.encode({"iss": provider.url, "aud": provider.client_id, "sub": provider.claims["sub"],
                                       "iat": now, "exp": now + 300, "nonce": nonce},
                                      provider.client_secret, algorithm="HS256")  # fmt: skip
                access = uuid.uuid4().hex
                provider.tokens[access] = True
                return self._json(200, {"access_token": access, "id_token": id_token, "token_type": "Bearer"})

        return Handler
