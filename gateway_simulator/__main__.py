import argparse
import os
import socketserver
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from .gateway import Gateway


class ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):  # the simulator logs its IPNs; requests would drown them
        pass


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m gateway_simulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--tmn-code", default=os.environ.get("EGOV_VNPAY_TMN_CODE", "MOTCUA01"))
    parser.add_argument("--secret", default=os.environ.get("EGOV_VNPAY_HASH_SECRET",
                                                           "simulator-secret-not-for-production"))  # fmt: skip
    parser.add_argument("--ipn-url", default="", help="the merchant's IPN address (none: no IPN)")
    parser.add_argument("--ipn-attempts", type=int, default=5)
    parser.add_argument("--ipn-delay", type=float, default=0.0, help="seconds before the first IPN (doubling after)")
    args = parser.parse_args(argv)
    gateway = Gateway(args.tmn_code, args.secret, args.ipn_url, args.ipn_attempts, args.ipn_delay,
                      log=lambda text: print(text, flush=True))  # fmt: skip
    with make_server(args.host, args.port, gateway, server_class=ThreadingServer, handler_class=QuietHandler) as server:
        print(f"gateway simulator on http://{args.host}:{args.port}/ (IPN to {args.ipn_url or 'nobody'})", flush=True)
        server.serve_forever()


if __name__ == "__main__":
    main()
