"""The governance demo: loaded once through the services, members in good standing and
late, one closed assembly with minutes, one open consultation."""

from core import dates
from networkgov import selectors
from networkgov.models import AssemblyStatus, Consultation, NetworkAssembly
from networkgov.statutes import year_due_on


def test_demo_networkgov_loads_once(db):
    from demo.loader import ensure_user
    from demo.networkgov_data import load_networkgov

    load_networkgov(ensure_user=ensure_user)
    assert load_networkgov(ensure_user=ensure_user)[-1] == "vie du réseau : déjà chargée"
    today = dates.today()
    statuses = sorted(s.status for s in selectors.standings(today).values())
    late = "late" if today > year_due_on(today.year) else "pending"  # none late before 31/03
    assert statuses == sorted(["good"] * 4 + ["lapsed", late])
    past = NetworkAssembly.objects.get()
    assert past.status == AssemblyStatus.CLOSED and past.quorum_reached
    results = selectors.assembly_results(past)
    assert [(r.votes_for, r.votes_against, r.passed) for r in results.resolutions] == [
        (4, 0, True),
        (2, 2, False),
    ]
    consultation = Consultation.objects.get()
    assert selectors.consultation_is_open(consultation, today)
