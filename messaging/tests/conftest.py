import pytest


@pytest.fixture
def sms_gateway(live_server, settings):
    """The SMS sandbox on a free port, its receipts and replies going to the live server,
    the settings pointing the HTTP gateway backend at it."""
    from sandboxes.server import start
    from sandboxes.sms import SmsSandbox

    config = {
        "app_url": live_server.url,
        "SMS_GATEWAY_TOKEN": "test-sms-token",
        "SMS_CALLBACK_TOKEN": "test-sms-callback",
        "sms_receipt_delay": 0.05,
    }
    running = start(SmsSandbox(config))
    for key, value in running.sandbox.settings_for(running.url).items():
        setattr(settings, key, value)
    yield running.sandbox
    running.stop()
