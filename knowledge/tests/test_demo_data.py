"""Knowledge's demo data: a dozen published items in four countries, the cocoa case in
French and English, a question from Mali answered from Côte d'Ivoire; loaded once."""

import pytest

from demo.knowledge_data import load_knowledge
from demo.loader import ensure_user
from knowledge import selectors

pytestmark = pytest.mark.django_db


def test_demo_knowledge_loads_once():
    load_knowledge(ensure_user=ensure_user)
    assert load_knowledge(ensure_user=ensure_user)[-1] == "savoirs partagés : déjà chargés"
    items = selectors.item_list()
    assert items.count() == 12
    assert {i.country for i in items} == {"SN", "ML", "BF", "CI"}
    cocoa = selectors.item_list(q="cote d'ivoire cacao assurance maladie").get()
    assert sorted(v.language for v in cocoa.versions.all()) == ["en", "fr"]
    assert [(e["from"], e["to"], e["answers"]) for e in selectors.exchanges()] == [("CI", "ML", 1)]
