"""Real Chromium at 360 px: the shop's cashier sells twice with the network cut
(Playwright's offline mode), then the network comes back: exactly two sales on the
server, numbered 1 and 2; then a lot's label scanned where the browser reads no QR code
(the typed-code fallback). Screenshots go to var/screenshots/valuechain-*.png."""

import pytest

from valuechain.models import Sale, StockLevel
from valuechain.tests.factories import chain, flour_at_shop

PASSWORD = "sunucoop-test-pw"


def sign_in(page, username):
    base = page.base_url
    page.context.clear_cookies()
    page.goto(f"{base}/comptes/connexion/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(base + "/")


def sell(page, lot_code, quantity, price):
    page.fill("#till-code", lot_code)
    page.dispatch_event("#till-code", "change")
    page.fill("#till-qty", str(quantity))
    page.fill("#till-price", str(price))
    page.click("text=Encaisser")


@pytest.mark.browser
def test_two_sales_offline_then_synced_exactly_once(page, transactional_db, world):
    c = chain(world)
    _millet, flour = flour_at_shop(c)
    page.set_viewport_size({"width": 360, "height": 780})
    sign_in(page, "cashier-mbour")
    page.goto(f"{page.base_url}/filiere/sites/{c.shop.pk}/caisse/")
    page.context.set_offline(True)
    sell(page, flour.code, 2, 600)
    sell(page, flour.code, 1, 650)
    status = page.locator("#till-status")
    status.and_(page.locator("[data-pending='2']")).wait_for()
    page.screenshot(path="var/screenshots/valuechain-till-offline-360.png", full_page=True)
    assert Sale.objects.count() == 0
    # the form fits the phone: no control overflows 360 px
    for box in page.locator("#till input, #till select, #till button").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().right)"
    ):
        assert box <= 360
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    status.and_(page.locator("[data-pending='0']")).wait_for()
    page.locator("#till-receipts li").nth(1).wait_for()
    page.screenshot(path="var/screenshots/valuechain-till-synced-360.png", full_page=True)
    assert Sale.objects.count() == 2
    assert sorted(Sale.objects.values_list("receipt_number", "total")) == [(1, 1200), (2, 650)]
    assert StockLevel.objects.get(site=c.shop, lot=flour).quantity == 47
    page.reload()  # nothing left to send: a reload sends nothing again
    status.and_(page.locator("[data-pending='0']")).wait_for()
    assert Sale.objects.count() == 2
    # the label's scan without a camera reader (no BarcodeDetector): the typed code
    page.add_init_script("delete window.BarcodeDetector;")
    page.goto(f"{page.base_url}/filiere/scanner/")
    assert page.locator("#scan-camera").is_hidden() and page.locator("#scan-no-camera").is_visible()
    page.fill("input[name=code]", "l00000000")
    page.click("text=Ouvrir le lot")
    page.locator("text=Lot introuvable").wait_for()
    page.fill("input[name=code]", flour.code.lower())
    page.screenshot(path="var/screenshots/valuechain-scan-360.png", full_page=True)
    page.click("text=Ouvrir le lot")
    page.wait_for_url(f"{page.base_url}/filiere/lots/{flour.pk}/")
    assert flour.code in page.content()
