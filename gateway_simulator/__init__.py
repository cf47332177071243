"""A payment gateway simulator: the gateway's side of VNPAY's merchant protocol (2.1.0) as a
small web service on the loopback, for the embedded default (``make run``) and the tests.

It is deliberately separate from the product (no Django, its own signing code, its own state
in memory): the product talks to it over HTTP exactly as it would to the real gateway.

- ``GET /paymentv2/vpcpay.html?…`` — the payment page: checks the merchant code and the
  signature, shows the order, and offers *Pay* and *Cancel*;
- the decision sends the payer back to ``vnp_ReturnUrl`` with the signed result, and calls
  the merchant's IPN address (``--ipn-url``) with the same parameters, retrying until it is
  confirmed (``--ipn-attempts``, ``--ipn-delay``);
- ``POST /merchant_webapi/api/transaction`` — ``querydr`` and ``refund``, JSON, signed;
- ``GET /_simulator/transactions`` — what it holds, for a person or a test to look at.

Run: ``python -m gateway_simulator --port 8765 --ipn-url http://127.0.0.1:8000/api/v1/payments/vnpay/ipn/``
"""
