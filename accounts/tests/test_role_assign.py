import pytest

from accounts.services import role_assign
from accounts.tests.factories import UserFactory
from core.errors import ValidationFailed
from geo.models import Area


@pytest.mark.django_db
def test_agent_needs_a_region_or_department():
    user = UserFactory()
    with pytest.raises(ValidationFailed) as exc:
        role_assign(user=user, role="agent")
    assert exc.value.code == "role_target"
    with pytest.raises(ValidationFailed) as exc:
        role_assign(user=user, role="agent", area=Area.objects.get(code="SN"))
    assert exc.value.code == "role_area_level"
    assert (
        role_assign(user=user, role="agent", area=Area.objects.get(code="SN-TH")).area.code
        == "SN-TH"
    )


@pytest.mark.django_db
def test_national_takes_no_target():
    with pytest.raises(ValidationFailed):
        role_assign(user=UserFactory(), role="national", area=Area.objects.get(code="SN-TH"))


@pytest.mark.django_db
def test_assigning_twice_creates_one_row():
    user = UserFactory()
    role_assign(user=user, role="national")
    role_assign(user=user, role="national")
    assert user.roles.count() == 1
