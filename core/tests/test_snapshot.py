"""core/tests/snapshot.py: what the transactional tests' fixtures put back is exactly what was
copied, and a test's own inserts after it never collide with the ids put back."""

import pytest

from accounts.models import User
from core.tests import snapshot
from geo.models import Area


@pytest.mark.django_db(transaction=True)
def test_put_back_restores_every_row_and_the_sequences_continue():
    kept = User.objects.create(username="kept", first_name="Awa")
    copy = snapshot.take()
    User.objects.create(username="added-after")
    kept.first_name = "changed after"
    kept.save()
    Area.objects.filter(code="SN-TH").update(name="changed after")

    snapshot.put_back(copy)

    assert list(User.objects.values_list("pk", "username", "first_name")) == [
        (kept.pk, "kept", "Awa")
    ]
    assert Area.objects.get(code="SN-TH").name == "Thiès"
    assert User.objects.create(username="next").pk > kept.pk  # the sequence follows
    snapshot.put_back(copy)  # twice: the same rows, nothing doubled
    assert User.objects.count() == 1
