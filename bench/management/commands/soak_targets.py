"""Print, as JSON, what ``make soak`` acts on in a database loaded with the demo
(``load_demo``): the users of each role and the ids its writes need (bench/soak.py)."""

import json

from django.core.management.base import BaseCommand, CommandError

from core import dates

AGENT, OFFICER, LENDER, NATIONAL, CASHIER = (
    "agent-thies",
    "officer",
    "lender",
    "national",
    "boutique-mbour",
)


def _user(username: str):
    from accounts.models import User

    try:
        return User.objects.get(username=username)
    except User.DoesNotExist as exc:
        raise CommandError(f"{username}: absent; load the demo first (load_demo)") from exc


def _loans(actor, limit: int = 40) -> list[int]:
    """Active loans the actor may repay on, with enough left for many 100 F repayments."""
    from credit import selectors
    from credit.models import LoanStatus

    loans = selectors.loan_list(actor=actor, status=LoanStatus.ACTIVE).filter(
        outstanding_principal__gte=200_000
    )
    return list(loans.order_by("id").values_list("id", flat=True)[:limit])


def _attendance(agent) -> list[dict]:
    """(session, person, day) an agent may record: sessions of their area already begun."""
    from training.models import Participant, Session

    today = dates.today()
    sessions = Session.objects.filter(starts_on__lte=today).order_by("-starts_on")
    out = []
    for session in sessions[:20]:
        if not _manages(agent, session):
            continue
        day = min(session.ends_on, today)
        persons = Participant.objects.filter(session=session).values_list("person_id", flat=True)
        out += [{"session": session.pk, "person": p, "day": day.isoformat()} for p in persons[:10]]
    return out


def _manages(agent, session) -> bool:
    from training.rules import covers_area

    return covers_area(agent, session.commune)


def _shop(cashier) -> dict:
    from valuechain.models import Site, StockLevel

    site = next(
        (s for s in Site.objects.filter(kind="temoin").order_by("pk") if _operates(cashier, s)),
        None,
    )
    if site is None:
        raise CommandError(f"{CASHIER}: no shop to operate")
    lots = StockLevel.objects.filter(site=site, quantity__gt=0).order_by("-quantity")
    return {
        "site": site.pk,
        "till": site.tills.order_by("pk").values_list("pk", flat=True).first(),
        "lots": list(lots.values_list("lot_id", flat=True)[:5]),
    }


def _operates(actor, site) -> bool:
    from valuechain.rules import can_operate

    return can_operate(actor, site)


def _pages() -> dict:
    """Each role's usual pages: name -> (role, path)."""
    from django.urls import reverse

    return {
        "home_agent": ("agent", reverse("home")),
        "cooperatives": ("agent", reverse("registry:cooperative_list")),
        "person_search": ("agent", reverse("registry:person_list") + "?q=ndiaye"),
        "arrears": ("agent", reverse("credit:arrears_list")),
        "home_officer": ("officer", reverse("home")),
        "portfolio_lender": ("lender", reverse("credit:portfolio")),
        "dashboard": ("national", reverse("monitoring:dashboard")),
    }


def _visits(agent) -> dict:
    from registry import selectors

    coops = selectors.cooperative_list(actor=agent).exclude(stage="dissoute").order_by("id")
    first = coops.select_related("commune").first()
    return {
        "cooperatives": list(coops.values_list("id", flat=True)[:20]),
        "commune": first.commune.code,
    }


class Command(BaseCommand):
    help = "Liste (JSON) les utilisateurs et objets sur lesquels agit `make soak`."

    def handle(self, *args, **options):
        from demo.loader import DEMO_PASSWORD

        agent, officer, lender, cashier = (_user(u) for u in (AGENT, OFFICER, LENDER, CASHIER))
        _user(NATIONAL)
        targets = {
            "password": DEMO_PASSWORD,
            "users": {
                "agent": AGENT,
                "officer": OFFICER,
                "lender": LENDER,
                "national": NATIONAL,
                "cashier": CASHIER,
            },
            "lender_loans": _loans(lender),
            "officer_loans": _loans(officer, limit=10),
            "attendance": _attendance(agent),
            "shop": _shop(cashier),
            "field": _visits(agent),
            "pages": _pages(),
            "today": dates.today().isoformat(),
        }
        empty = [k for k in ("lender_loans", "officer_loans", "attendance") if not targets[k]]
        if empty:
            raise CommandError(f"nothing to act on for: {', '.join(empty)}")
        self.stdout.write(json.dumps(targets))
