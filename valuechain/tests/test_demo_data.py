"""The demo's Mbour value chain: four boutiques, lots from harvest to sale, a week of
sales; the trace of a demo lot; loading twice adds nothing."""

import pytest

from accounts.models import User
from valuechain import trace
from valuechain.models import (
    EquipmentBooking,
    InnovationProject,
    Lot,
    Sale,
    Settlement,
    Site,
    StockLevel,
    TillClosing,
)


@pytest.mark.django_db(transaction=True)
def test_demo_chain_and_the_trace_of_a_demo_lot(demo_registry):
    from demo.loader import ensure_user
    from demo.valuechain_data import load_valuechain

    national = User.objects.get(username="national")
    load_valuechain(actor=national, ensure_user=ensure_user)
    assert sorted(Site.objects.values_list("kind", flat=True)) == [
        "production",
        "source",
        "technologique",
        "temoin",
    ]
    assert Sale.objects.count() == 35 and TillClosing.objects.count() == 6
    assert Settlement.objects.get().gross > 0
    harvest = Lot.objects.filter(origin="harvest").order_by("-on", "-pk").first()
    t = trace.trace(harvest)
    products = set(Lot.objects.filter(pk__in=t.downstream).values_list("product__name", flat=True))
    assert products == {"Farine de mil", "Thiakry (sachet de 500 g)"}
    assert t.upstream == [] and len(t.sales) > 0
    assert not StockLevel.objects.filter(site__kind="production", quantity__lt=0).exists()
    used = EquipmentBooking.objects.filter(status="used")
    assert sorted(used.values_list("fee", flat=True)) == [3750, 6250, 7500]
    assert InnovationProject.objects.get().trials.filter(success=True).count() == 1
    load_valuechain(actor=national, ensure_user=ensure_user)
    assert Sale.objects.count() == 35 and EquipmentBooking.objects.count() == 5
