"""Authorization-matrix entries of the messaging app (accounts/tests/authz.py).

Templates and refusals of SMS are national staff's and field agents' tools; the gateway's
callbacks take no user token (``X-Gateway-Token``), so every role without it gets 401."""

from accounts.tests.authz import E, api, page

STAFF = E(403, national=200, region=200, department=200)

ENTRIES = [
    page("messaging:template_list", expect=STAFF),
    page("messaging:template_edit", kind="loan_reminder_before", expect=STAFF),
    page("messaging:opt_out_list", expect=STAFF),
    page(
        "messaging:opt_out_list",
        method="POST",
        data={"phone": "+221779990000", "reason": "test"},
        expect=E(403, national=302, region=200, department=200),
        note="agents: a number of none of their persons is refused on the form (200)",
    ),
    page(
        "messaging:opt_out_lift",
        method="POST",
        data={"phone": "+221779990000"},
        expect=E(403, national=302, region=302, department=302),
        note="agents: an unknown number is refused with a message, then redirected",
    ),
    api(
        "POST /api/v1/sms/receipts",
        body={"id": "gw-1", "status": "delivered"},
        expect=E(401),
        note="the gateway's token, not a user's",
    ),
    api(
        "POST /api/v1/sms/inbound",
        body={"from": "+221779990000", "text": "STOP"},
        expect=E(401),
        note="the gateway's token, not a user's",
    ),
]
