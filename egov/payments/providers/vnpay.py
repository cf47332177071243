"""A gateway speaking VNPAY's published merchant protocol (version 2.1.0), the most widely
used in Vietnam; the national payment platform works the same way in outline.

- The payer is redirected to the gateway with the order's parameters, sorted by name,
  URL-encoded and signed with HMAC-SHA512 under the merchant's secret (``vnp_SecureHash``).
- The gateway sends the payer back to our return URL, and calls our notification URL (IPN)
  server to server, both signed the same way; the IPN is answered in JSON
  (``{"RspCode": "00", "Message": ...}``), and retried by the gateway until it is.
- Amounts travel in hundredths of a đồng (``vnp_Amount`` = đồng × 100).
- ``querydr`` (what happened to a transaction) and ``refund`` are JSON calls to the merchant
  API, signed over their fields joined by ``|`` in the protocol's order.

The settings (``EGOV_VNPAY_*``) point at the real gateway or, in the embedded default and the
tests, at the simulator on the loopback (gateway_simulator/).
"""

import datetime
import hashlib
import hmac
import json
import urllib.parse
import uuid
import zoneinfo

import urllib3
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import register
from .base import (
    ALREADY,
    BAD_AMOUNT,
    BAD_SIGNATURE,
    CONFIRMED,
    FAILURE,
    NOT_FOUND,
    BadSignature,
    GatewayError,
    Notice,
    PaymentProvider,
)

VERSION = "2.1.0"
VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")  # the protocol's dates are Vietnam time
SUCCESS = "00"
NOT_FOUND_CODE = "91"  # querydr: no such transaction
QUERY_ANSWER = ["vnp_ResponseId", "vnp_Command", "vnp_ResponseCode", "vnp_Message", "vnp_TmnCode", "vnp_TxnRef",
                "vnp_Amount", "vnp_BankCode", "vnp_PayDate", "vnp_TransactionNo", "vnp_TransactionType",
                "vnp_TransactionStatus", "vnp_OrderInfo", "vnp_PromotionCode", "vnp_PromotionAmount"]  # fmt: skip
REFUND_ANSWER = QUERY_ANSWER[:13]
IPN_ANSWERS = {
    CONFIRMED: ("00", "Confirm Success"), ALREADY: ("02", "Order already confirmed"),
    NOT_FOUND: ("01", "Order not found"), BAD_AMOUNT: ("04", "Invalid amount"),
    BAD_SIGNATURE: ("97", "Invalid signature"), FAILURE: ("99", "Unknown error"),
}  # fmt: skip
HTTP = urllib3.PoolManager(timeout=urllib3.Timeout(connect=5, read=15), retries=False)


def sign(secret, text):
    return hmac.new(secret.encode(), text.encode("utf-8"), hashlib.sha512).hexdigest()


def query_string(params):
    """The parameters as the protocol signs and sends them: sorted, each name and value
    URL-encoded with ``+`` for spaces."""
    encode = urllib.parse.quote_plus
    return "&".join(f"{encode(k)}={encode(str(v))}" for k, v in sorted(params.items()))


def vietnam_time(moment):
    return moment.astimezone(VIETNAM).strftime("%Y%m%d%H%M%S")


@register
class VnpayProvider(PaymentProvider):
    name = "vnpay"
    label = _("Online (VNPAY: bank card, account or QR)")

    @property
    def secret(self):
        return settings.EGOV_VNPAY_HASH_SECRET

    def configured(self):
        return all([settings.EGOV_VNPAY_PAY_URL, settings.EGOV_VNPAY_API_URL, settings.EGOV_VNPAY_TMN_CODE,
                    self.secret])  # fmt: skip

    def check_config(self):
        given = [settings.EGOV_VNPAY_PAY_URL, settings.EGOV_VNPAY_API_URL, settings.EGOV_VNPAY_TMN_CODE, self.secret]
        if any(given) and not all(given):
            return ["EGOV_VNPAY_PAY_URL, EGOV_VNPAY_API_URL, EGOV_VNPAY_TMN_CODE and EGOV_VNPAY_HASH_SECRET are set "
                    "together, or not at all (no online payment)."]  # fmt: skip
        if self.secret and len(self.secret) < 16:
            return ["EGOV_VNPAY_HASH_SECRET looks too short to be the merchant's secret."]
        return []

    # --- the payer's journey ---

    def start(self, transaction, return_url, client_ip):
        now = timezone.now()
        params = {
            "vnp_Version": VERSION, "vnp_Command": "pay", "vnp_TmnCode": settings.EGOV_VNPAY_TMN_CODE,
            "vnp_Amount": transaction.amount * 100, "vnp_CurrCode": "VND", "vnp_TxnRef": transaction.reference,
            "vnp_OrderInfo": order_info(transaction), "vnp_OrderType": "other",
            "vnp_Locale": "en" if translation_is_english() else "vn", "vnp_ReturnUrl": return_url,
            "vnp_IpAddr": client_ip or "127.0.0.1", "vnp_CreateDate": vietnam_time(transaction.created_at or now),
            "vnp_ExpireDate": vietnam_time(now + datetime.timedelta(minutes=15)),
        }  # fmt: skip
        text = query_string(params)
        return f"{settings.EGOV_VNPAY_PAY_URL}?{text}&vnp_SecureHash={sign(self.secret, text)}"

    def read_return(self, params):
        return self._read_signed(params)

    def read_notification(self, params):
        return self._read_signed(params)

    def _read_signed(self, params):
        unsigned = ("vnp_SecureHash", "vnp_SecureHashType")
        fields = {k: v for k, v in params.items() if k.startswith("vnp_") and k not in unsigned}
        given = str(params.get("vnp_SecureHash", "")).lower()
        if not given or not hmac.compare_digest(given, sign(self.secret, query_string(fields))):
            raise BadSignature()
        return Notice(
            reference=fields.get("vnp_TxnRef", ""),
            paid=fields.get("vnp_ResponseCode") == SUCCESS and fields.get("vnp_TransactionStatus") == SUCCESS,
            amount=_dong(fields.get("vnp_Amount")), gateway_reference=fields.get("vnp_TransactionNo", ""),
            code=fields.get("vnp_ResponseCode", ""),
        )  # fmt: skip

    def notification_answer(self, code):
        rsp, message = IPN_ANSWERS[code]
        return json.dumps({"RspCode": rsp, "Message": message}), "application/json"

    # --- the merchant API ---

    def query(self, transaction):
        now = timezone.now()
        request = {
            "vnp_RequestId": uuid.uuid4().hex, "vnp_Version": VERSION, "vnp_Command": "querydr",
            "vnp_TmnCode": settings.EGOV_VNPAY_TMN_CODE, "vnp_TxnRef": transaction.reference,
            "vnp_TransactionDate": vietnam_time(transaction.created_at), "vnp_CreateDate": vietnam_time(now),
            "vnp_IpAddr": "127.0.0.1", "vnp_OrderInfo": order_info(transaction),
        }  # fmt: skip
        answer = self._call(request, list(request))
        self._check_answer(answer, QUERY_ANSWER)
        if answer.get("vnp_ResponseCode") == NOT_FOUND_CODE:
            return Notice(reference=transaction.reference, paid=False, code=NOT_FOUND_CODE, known=False)
        if answer.get("vnp_ResponseCode") != SUCCESS:
            raise GatewayError(f"querydr answered {answer.get('vnp_ResponseCode')}: {answer.get('vnp_Message')}")
        return Notice(
            reference=answer.get("vnp_TxnRef", ""), paid=answer.get("vnp_TransactionStatus") == SUCCESS,
            amount=_dong(answer.get("vnp_Amount")), gateway_reference=answer.get("vnp_TransactionNo", ""),
            code=answer.get("vnp_TransactionStatus", ""),
        )  # fmt: skip

    def refund(self, refund):
        paid = refund.transaction
        now = timezone.now()
        request = {
            "vnp_RequestId": uuid.uuid4().hex, "vnp_Version": VERSION, "vnp_Command": "refund",
            "vnp_TmnCode": settings.EGOV_VNPAY_TMN_CODE,
            "vnp_TransactionType": "02" if refund.amount == paid.amount else "03",  # whole, or part
            "vnp_TxnRef": paid.reference, "vnp_Amount": refund.amount * 100,
            "vnp_TransactionNo": paid.gateway_reference, "vnp_TransactionDate": vietnam_time(paid.created_at),
            "vnp_CreateBy": "mot-cua", "vnp_CreateDate": vietnam_time(now), "vnp_IpAddr": "127.0.0.1",
            "vnp_OrderInfo": f"Hoan phi {paid.reference}",
        }  # fmt: skip
        order = ["vnp_RequestId", "vnp_Version", "vnp_Command", "vnp_TmnCode", "vnp_TransactionType", "vnp_TxnRef",
                 "vnp_Amount", "vnp_TransactionNo", "vnp_TransactionDate", "vnp_CreateBy", "vnp_CreateDate",
                 "vnp_IpAddr", "vnp_OrderInfo"]  # fmt: skip
        answer = self._call(request, order)
        self._check_answer(answer, REFUND_ANSWER)
        if answer.get("vnp_ResponseCode") != SUCCESS:
            raise GatewayError(f"refund answered {answer.get('vnp_ResponseCode')}: {answer.get('vnp_Message')}")
        return answer.get("vnp_TransactionNo", "")

    def _call(self, request, order):
        request["vnp_SecureHash"] = sign(self.secret, "|".join(str(request[name]) for name in order))
        try:
            response = HTTP.request("POST", settings.EGOV_VNPAY_API_URL, body=json.dumps(request),
                                    headers={"Content-Type": "application/json"})  # fmt: skip
            return json.loads(response.data)
        except (urllib3.exceptions.HTTPError, ValueError) as exc:
            raise GatewayError(f"the gateway did not answer: {exc}") from exc

    def _check_answer(self, answer, order):
        text = "|".join(str(answer.get(name, "")) for name in order)
        if not hmac.compare_digest(str(answer.get("vnp_SecureHash", "")).lower(), sign(self.secret, text)):
            raise BadSignature()


def order_info(transaction):
    """What the payer's bank statement shows: ASCII, as the protocol asks."""
    return f"Thanh toan phi ho so {transaction.payment.dossier.code}"


def translation_is_english():
    from django.utils.translation import get_language

    return (get_language() or "vi").startswith("en")


def _dong(hundredths):
    try:
        return int(hundredths) // 100
    except (TypeError, ValueError):
        return None
