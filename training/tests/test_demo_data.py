"""demo/training_data.py on the small world (the full demo is exercised by `make demo` and
the browser journeys): it obeys the services' rules, is idempotent, and gives the work
list and the "supported" rule something current to show."""

import datetime

from django.utils import timezone

from accounts.services import role_assign
from accounts.tests.factories import UserFactory
from demo.training_data import load_training
from geo.models import Area
from training.models import Attendance, Participant, Session, Visit
from training.selectors import cooperatives_supported, worklist


def test_demo_training_data_is_complete_and_idempotent(world):
    agent_tc = UserFactory(username="agent-tambacounda")
    role_assign(user=agent_tc, role="agent", area=Area.objects.get(code="SN-TC"))
    agent_th = UserFactory(username="agent-thies")
    role_assign(user=agent_th, role="agent", area=Area.objects.get(code="SN-TH"))

    report = load_training(actor=world.national)
    assert report[0].startswith("formation : ")

    def counts():
        return (
            Session.objects.count(),
            Attendance.objects.count(),
            Visit.objects.count(),
            Participant.objects.count(),
        )

    first = counts()
    assert Session.objects.filter(commune__path__contains="/SN-TC/").exists()
    assert Session.objects.filter(commune__path__contains="/SN-TH/").exists()
    assert Session.objects.filter(kind="tot").count() == 1
    assert Attendance.objects.filter(present=True).exists()
    assert Participant.objects.filter(completed=True).exists()
    assert Visit.objects.filter(diagnostic__isnull=False).count() >= 4
    load_training(actor=world.national)
    assert counts() == first

    today = timezone.localdate()
    work = worklist(actor=agent_tc, as_of=today)
    assert work["overdue_actions"].exists()
    assert work["coming_sessions"].exists()
    assert cooperatives_supported(actor=agent_tc, as_of=today).exists()
    assert not cooperatives_supported(actor=agent_tc, as_of=today - datetime.timedelta(days=400))
