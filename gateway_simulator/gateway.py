"""The simulated gateway: a WSGI application over transactions kept in memory."""

import datetime
import hashlib
import hmac
import html
import itertools
import json
import threading
import time
import urllib.parse
import urllib.request
import zoneinfo

VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
QUERY_FIELDS = ["vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TxnRef", "vnp_TransactionDate",
                "vnp_CreateDate", "vnp_IpAddr", "vnp_OrderInfo"]  # fmt: skip
REFUND_FIELDS = ["vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TransactionType", "vnp_TxnRef",
                 "vnp_Amount", "vnp_TransactionNo", "vnp_TransactionDate", "vnp_CreateBy", "vnp_CreateDate",
                 "vnp_IpAddr", "vnp_OrderInfo"]  # fmt: skip
ANSWER_FIELDS = ["vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef",
                 "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType",
                 "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode", "vnp_PromotionAmount"]  # fmt: skip


def hmac512(secret, text):
    return hmac.new(secret.encode(), text.encode("utf-8"), hashlib.sha512).hexdigest()


def signed_text(params):
    encode = urllib.parse.quote_plus
    return "&".join(f"{encode(key)}={encode(str(value))}" for key, value in sorted(params.items()))


def now_text():
    return datetime.datetime.now(VIETNAM).strftime("%Y%m%d%H%M%S")


class Gateway:
    def __init__(self, tmn_code, secret, ipn_url="", ipn_attempts=5, ipn_delay=0.0, log=print):
        self.tmn_code, self.secret, self.ipn_url = tmn_code, secret, ipn_url
        self.ipn_attempts, self.ipn_delay, self.log = ipn_attempts, ipn_delay, log
        self.transactions = {}  # TxnRef -> what the gateway knows of it
        self.lock = threading.Lock()
        self.numbers = itertools.count(14000001)

    # --- WSGI ---

    def __call__(self, environ, start_response):
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        query = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
        try:
            if path == "/paymentv2/vpcpay.html" and method == "GET":
                status, headers, body = self.payment_page(query)
            elif path == "/paymentv2/decide" and method == "POST":
                status, headers, body = self.decide(self._form(environ))
            elif path == "/merchant_webapi/api/transaction" and method == "POST":
                status, headers, body = self.merchant_api(self._json(environ))
            elif path == "/_simulator/transactions":
                status, headers, body = (
                    "200 OK",
                    [("Content-Type", "application/json")],
                    json.dumps(self.transactions, default=str).encode(),
                )
            else:
                status, headers, body = "404 Not Found", [("Content-Type", "text/plain")], b"not found"
        except ValueError as exc:
            status, headers, body = "400 Bad Request", [("Content-Type", "text/plain")], str(exc).encode()
        start_response(status, headers + [("Content-Length", str(len(body)))])
        return [body]

    @staticmethod
    def _form(environ):
        size = int(environ.get("CONTENT_LENGTH") or 0)
        return dict(urllib.parse.parse_qsl(environ["wsgi.input"].read(size).decode()))

    @staticmethod
    def _json(environ):
        size = int(environ.get("CONTENT_LENGTH") or 0)
        return json.loads(environ["wsgi.input"].read(size) or b"{}")

    # --- the payer ---

    def payment_page(self, query):
        given = query.pop("vnp_SecureHash", "")
        query.pop("vnp_SecureHashType", None)
        if not hmac.compare_digest(given.lower(), hmac512(self.secret, signed_text(query))):
            return self._page("Sai chữ ký (97) — invalid signature", "<p>Yêu cầu thanh toán không hợp lệ.</p>", "400")
        if query.get("vnp_TmnCode") != self.tmn_code:
            return self._page("Website chưa được phê duyệt (02)", "<p>Unknown merchant.</p>", "400")
        reference = query["vnp_TxnRef"]
        with self.lock:
            known = self.transactions.setdefault(reference, {
                "amount": int(query["vnp_Amount"]), "order_info": query.get("vnp_OrderInfo", ""),
                "return_url": query["vnp_ReturnUrl"], "created": query.get("vnp_CreateDate", ""),
                "status": "pending", "number": "", "refunded": 0,
            })  # fmt: skip
        if known["status"] != "pending":
            return self._page("Giao dịch đã được xử lý", "<p>This transaction was already processed.</p>", "409")
        amount = f"{known['amount'] // 100:,}".replace(",", ".")
        body = f"""<p>Đơn vị chấp nhận thanh toán: <b>{html.escape(self.tmn_code)}</b></p>
<p>Nội dung: {html.escape(known["order_info"])}</p>
<p>Số tiền: <b id="amount">{amount} VND</b></p>
<form method="post" action="/paymentv2/decide"><input type="hidden" name="ref" value="{html.escape(reference)}">
<button name="action" value="pay" id="pay">Thanh toán</button>
<button name="action" value="cancel" id="cancel">Hủy giao dịch</button></form>"""
        return self._page("Cổng thanh toán (mô phỏng)", body)

    def decide(self, form):
        reference = form.get("ref", "")
        with self.lock:
            known = self.transactions.get(reference)
            if known is None or known["status"] != "pending":
                raise ValueError("no pending transaction with that reference")
            paid = form.get("action") == "pay"
            known.update(status="paid" if paid else "cancelled", number=str(next(self.numbers)),
                         pay_date=now_text(), code="00" if paid else "24")  # fmt: skip
        result = self.result_params(reference)
        if self.ipn_url:
            threading.Thread(target=self.notify, args=(result,), daemon=True).start()
        location = f"{known['return_url']}?{urllib.parse.urlencode(result)}"
        return "302 Found", [("Location", location)], b""

    def result_params(self, reference):
        known = self.transactions[reference]
        params = {
            "vnp_Amount": str(known["amount"]), "vnp_BankCode": "NCB", "vnp_BankTranNo": f"VNP{known['number']}",
            "vnp_CardType": "ATM", "vnp_OrderInfo": known["order_info"], "vnp_PayDate": known["pay_date"],
            "vnp_ResponseCode": known["code"], "vnp_TmnCode": self.tmn_code, "vnp_TransactionNo": known["number"],
            "vnp_TransactionStatus": "00" if known["status"] == "paid" else "02", "vnp_TxnRef": reference,
        }  # fmt: skip
        params["vnp_SecureHash"] = hmac512(self.secret, signed_text(params))
        return params

    def notify(self, params):
        """The IPN, retried with growing pauses until the merchant confirms (00) or says it had it (02)."""
        url = f"{self.ipn_url}?{urllib.parse.urlencode(params)}"
        for attempt in range(self.ipn_attempts):
            time.sleep(self.ipn_delay * (2**attempt) if attempt else self.ipn_delay)
            try:
                with urllib.request.urlopen(url, timeout=10) as answer:
                    code = json.loads(answer.read()).get("RspCode")
            except Exception as exc:  # the merchant is down or broken: try again later
                self.log(f"IPN {params['vnp_TxnRef']} attempt {attempt + 1}: {exc}")
                continue
            self.log(f"IPN {params['vnp_TxnRef']} attempt {attempt + 1}: RspCode {code}")
            with self.lock:
                self.transactions[params["vnp_TxnRef"]]["ipn"] = code
            if code in ("00", "02"):
                return

    # --- the merchant API ---

    def merchant_api(self, request):
        command = request.get("vnp_Command")
        fields = QUERY_FIELDS if command == "querydr" else REFUND_FIELDS if command == "refund" else None
        answer = {"vnp_ResponseId": request.get("vnp_RequestId", ""), "vnp_Command": command,
                  "vnp_TmnCode": self.tmn_code, "vnp_TxnRef": request.get("vnp_TxnRef", "")}  # fmt: skip
        text = "|".join(str(request.get(name, "")) for name in fields or [])
        if fields is None or not hmac.compare_digest(str(request.get("vnp_SecureHash", "")).lower(),
                                                     hmac512(self.secret, text)):  # fmt: skip
            answer.update(vnp_ResponseCode="97", vnp_Message="Invalid checksum")
        else:
            with self.lock:
                known = self.transactions.get(request.get("vnp_TxnRef", ""))
                answer.update(self.query(known) if command == "querydr" else self.refund(known, request))
        signed = ANSWER_FIELDS if command == "querydr" else ANSWER_FIELDS[:13]  # a refund's answer: no promotion
        answer["vnp_SecureHash"] = hmac512(self.secret, "|".join(str(answer.get(k, "")) for k in signed))
        return "200 OK", [("Content-Type", "application/json")], json.dumps(answer).encode()

    @staticmethod
    def query(known):
        if known is None:
            return {"vnp_ResponseCode": "91", "vnp_Message": "Transaction not found"}
        status = {"paid": "00", "pending": "01", "cancelled": "02"}[known["status"]]
        if known["refunded"]:
            status = "05" if known["refunded"] < known["amount"] else "06"
        return {"vnp_ResponseCode": "00", "vnp_Message": "QueryDR Success", "vnp_Amount": str(known["amount"]),
                "vnp_BankCode": "NCB", "vnp_PayDate": known.get("pay_date", ""), "vnp_TransactionNo": known["number"],
                "vnp_TransactionType": "01", "vnp_TransactionStatus": status,
                "vnp_OrderInfo": known["order_info"]}  # fmt: skip

    @staticmethod
    def refund(known, request):
        amount = int(request.get("vnp_Amount") or 0)
        if known is None:
            return {"vnp_ResponseCode": "91", "vnp_Message": "Transaction not found"}
        if known["status"] != "paid" or known["refunded"] + amount > known["amount"]:
            return {"vnp_ResponseCode": "02", "vnp_Message": "Invalid refund"}
        known["refunded"] += amount
        return {"vnp_ResponseCode": "00", "vnp_Message": "Refund success", "vnp_Amount": str(amount),
                "vnp_TransactionNo": known["number"], "vnp_TransactionType": request.get("vnp_TransactionType"),
                "vnp_TransactionStatus": "05" if known["refunded"] < known["amount"] else "06"}  # fmt: skip

    @staticmethod
    def _page(title, body, code="200"):
        page = f"""<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body style="font-family:sans-serif;max-width:32rem;margin:2rem auto"><h1>{html.escape(title)}</h1>{body}
<p style="color:#555">Đây là cổng thanh toán mô phỏng, không có tiền thật. — A simulated gateway; no real money.</p>
</body></html>"""
        reason = {"200": "OK", "400": "Bad Request", "409": "Conflict"}[code]
        return f"{code} {reason}", [("Content-Type", "text/html; charset=utf-8")], page.encode()
