"""Issue 16, point 11: the demo has a Thiès centrale d'achat with Rencas, three campaigns
(one closed and received, one open, one under its minimum) and a year of prices; loading
twice adds nothing."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from demo.loader import ensure_user
from demo.purchasing_data import load_purchasing
from ledger.models import JournalEntry
from purchasing import pricewatch, selectors
from purchasing.models import Campaign, Invoice, MarketPrice, PurchasingGroup


@pytest.mark.django_db(transaction=True)
def test_the_demo_centrale_its_campaigns_and_a_year_of_prices(demo_data):
    group = PurchasingGroup.objects.get(network="Rencas")
    assert group.area.code == "SN-TH" and group.members.count() >= 4
    campaigns = {c.season: c for c in Campaign.objects.filter(group=group)}
    assert campaigns["hivernage"].status == "received"
    assert campaigns["contre-saison"].status == "open"
    assert campaigns["contre-saison"].orders.count() == 2
    agent = User.objects.get(username="agent-thies")
    [(seed, result)] = selectors.closing_preview(actor=agent, campaign=campaigns["tabaski"])
    assert campaigns["tabaski"].status == "open" and campaigns["tabaski"].orders.count() == 2
    assert result.packs == 0 and seed.min_packs == 8  # under its minimum: nothing ordered
    invoices = Invoice.objects.filter(campaign=campaigns["hivernage"])
    assert invoices.count() >= 4 and invoices.filter(status="paid").count() >= 2
    mbour = invoices.exclude(cooperative=group.lead_cooperative).first()
    assert JournalEntry.objects.filter(
        cooperative=mbour.cooperative, source_ref=f"invoice:{mbour.pk}"
    ).exists()  # in the buying cooperative's own books
    saving = sum(r.saving or 0 for r in pricewatch.campaign_savings(campaigns["hivernage"]))
    assert saving > 0
    today = timezone.localdate()
    oldest = MarketPrice.objects.order_by("observed_on").first().observed_on
    assert oldest <= today - datetime.timedelta(days=364)
    national = User.objects.get(username="national")
    alerts = pricewatch.price_alerts(actor=national)
    assert any(a.product_name.startswith("Riz") and a.area == "SN-TH-MBO" for a in alerts)
    assert not pricewatch.price_alerts(actor=User.objects.get(username="agent-tambacounda"))
    counts = (Campaign.objects.count(), MarketPrice.objects.count(), Invoice.objects.count())
    assert load_purchasing(actor=national, ensure_user=ensure_user) == [
        "achats groupés : déjà chargés"
    ]
    assert (Campaign.objects.count(), MarketPrice.objects.count(), Invoice.objects.count()) == (
        counts
    )
