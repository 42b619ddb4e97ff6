"""Authorization-matrix entries of the USSD app (accounts/tests/authz.py).

The PIN pages are field agents' and national staff's (a person outside the agent's area:
404). The USSD endpoint takes no user token: without ``USSD_SHARED_SECRET`` or
``USSD_ALLOWED_IPS`` (the matrix's settings) it refuses every request with 403."""

from accounts.tests.authz import E, api, page

ENTRIES = [
    page("ussd:pin_list", expect=E(403, national=200, region=200, department=200)),
    page(
        "ussd:pin_set",
        pk="@person",
        expect=E(403, national=200, region=200, department=200),
        out={"officer": 403, "lender": 403, "member": 403},
    ),
    page(
        "ussd:pin_set",
        method="POST",
        pk="@person",
        data={"pin": "2468", "pin_again": "2468"},
        expect=E(403, national=200, region=200, department=200),
        note="the matrix's persons have no phone: the form says so (200), nothing written",
        out={"officer": 403, "lender": 403, "member": 403},
    ),
    api(
        "POST /api/v1/ussd/{provider}",
        provider="generic",
        body={"sessionId": "m1", "phoneNumber": "+221779990000", "text": ""},
        files={"unused": ("unused.txt", b"")},  # sent as a form, as aggregators do
        expect=E(403),
        anonymous=403,
        note="no guard configured: refused",
    ),
]
