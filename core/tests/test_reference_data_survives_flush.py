"""Reference data of the data migrations survives the flush that ends a transactional test.

pytest-django runs transactional tests after the others; each ends with a flush of every
table, so the next transactional test would find no regions without the conftest fixture
``_reference_data_survives_flushes``."""

import pytest

from geo.models import Area


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", [1, 2])
def test_regions_are_there_in_every_transactional_test(round_):
    assert Area.objects.filter(code="SN-TH").exists()
    Area.objects.filter(code="SN-TH-MBO").update(name="changed in a transactional test")


def test_regions_are_there_in_an_ordinary_test(db):
    assert Area.objects.get(code="SN-TH-MBO").name == "Mbour"
