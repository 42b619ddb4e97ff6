"""Local sandboxes of the external services (mobile money, SMS): separate HTTP servers
speaking each provider's API, for the demo and the tests (docs/payments.md, "Sandboxes").

Register a sandbox in ``REGISTRY`` (name -> "module.Class"); ``python -m sandboxes``
starts them all; ``conftest.py``'s ``sandboxes`` fixture starts them on free ports and
points the settings at them. Nothing here is imported by the application's code.
"""

REGISTRY: dict[str, str] = {
    "wave": "sandboxes.wave.WaveSandbox",
    "sms": "sandboxes.sms.SmsSandbox",
    "orange_money": "sandboxes.orange_money.OrangeMoneySandbox",
}

# Fixed ports for `make demo` (each sandbox: DEMO_PORT_BASE + its index in REGISTRY).
DEMO_PORT_BASE = 8101
