"""The demo data set, built through the apps' services so that it obeys their rules."""

from __future__ import annotations

from accounts.models import User
from accounts.services import role_assign
from credit.models import Lender
from geo.models import Area
from geo.services import area_create

DEMO_PASSWORD = "sunucoop-demo"  # noqa: S105 (demo data only, printed by make demo)

# A handful of real communes (codes assigned by the platform: department code + number).
DEMO_COMMUNES = [
    ("SN-TC-KPT-01", "Koumpentoum", "SN-TC-KPT"),
    ("SN-TC-KPT-02", "Malème Niani", "SN-TC-KPT"),
    ("SN-TC-TAM-01", "Tambacounda", "SN-TC-TAM"),
    ("SN-TC-BAK-01", "Bakel", "SN-TC-BAK"),
    ("SN-TH-MBO-01", "Mbour", "SN-TH-MBO"),
    ("SN-TH-MBO-02", "Saly Portudal", "SN-TH-MBO"),
    ("SN-TH-THI-01", "Thiès Nord", "SN-TH-THI"),
    ("SN-TH-TIV-01", "Tivaouane", "SN-TH-TIV"),
    ("SN-DK-RUF-01", "Diamniadio", "SN-DK-RUF"),
    ("SN-DK-DAK-01", "Dakar-Plateau", "SN-DK-DAK"),
    ("SN-KD-KOL-01", "Kolda", "SN-KD-KOL"),
    ("SN-SL-STL-01", "Saint-Louis", "SN-SL-STL"),
    ("SN-ZG-ZIG-01", "Ziguinchor", "SN-ZG-ZIG"),
    ("SN-LG-LOU-01", "Louga", "SN-LG-LOU"),
    ("SN-KL-KAO-01", "Kaolack", "SN-KL-KAO"),
    ("SN-TC-GOD-01", "Goudiry", "SN-TC-GOD"),
    ("SN-TH-MBO-03", "Joal-Fadiouth", "SN-TH-MBO"),
    ("SN-KE-KED-01", "Kédougou", "SN-KE-KED"),
    ("SN-MT-MAT-01", "Matam", "SN-MT-MAT"),
    ("SN-SE-SED-01", "Sédhiou", "SN-SE-SED"),
    ("SN-FK-FAT-01", "Fatick", "SN-FK-FAT"),
]


def ensure_user(username: str, first_name: str, last_name: str, *, staff=False) -> User:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first_name,
            "last_name": last_name,
            "email": f"{username}@demo.sunucoop.sn",
            "is_staff": staff,
            "is_superuser": staff,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def load_communes() -> int:
    created = 0
    for code, name, dept in DEMO_COMMUNES:
        if not Area.objects.filter(code=code).exists():
            area_create(code=code, name=name, level="commune", parent=Area.objects.get(code=dept))
            created += 1
    return created


def load_demo(*, registry_only: bool = False) -> list[str]:
    """Load the demo data set; ``registry_only`` stops after the registry (users, roles,
    communes, cooperatives, persons), for tests that need nothing else."""
    report = [f"communes ajoutées : {load_communes()}"]
    national = ensure_user("national", "Aïssatou", "Diallo", staff=True)
    role_assign(user=national, role="national", actor=national)
    agent_tc = ensure_user("agent-tambacounda", "Mamadou", "Cissé")
    role_assign(user=agent_tc, role="agent", area=Area.objects.get(code="SN-TC"), actor=national)
    agent_th = ensure_user("agent-thies", "Ndèye", "Faye")
    role_assign(user=agent_th, role="agent", area=Area.objects.get(code="SN-TH"), actor=national)

    lender_org, _ = Lender.objects.get_or_create(
        name="Mutuelle d'épargne et de crédit de Tambacounda",
        defaults={"kind": "mec", "area": Area.objects.get(code="SN-TC")},
    )
    lender = ensure_user("lender", "Ousmane", "Sy")
    role_assign(user=lender, role="lender", lender=lender_org, actor=national)

    from demo.registry_data import load_registry

    report += load_registry(actor=national)
    if registry_only:
        return report
    officer = ensure_user("officer", "Mariama", "Ba")
    from registry.models import Cooperative

    coop = Cooperative.objects.get(name="Coopérative des tisserands de Koumpentoum")
    role_assign(user=officer, role="officer", cooperative=coop, actor=national)
    from demo.ledger_data import load_ledger

    report += load_ledger(actor=officer)
    from demo.training_data import load_training

    report += load_training(actor=national)
    from demo.governance_data import load_governance

    report += load_governance(actor=national)
    from demo.credit_data import load_credit

    report += load_credit(actor=national)
    from demo.health_data import load_health

    report += load_health(actor=national, ensure_user=ensure_user)
    from demo.messaging_data import load_messaging

    report += load_messaging(actor=national)
    from demo.purchasing_data import load_purchasing

    report += load_purchasing(actor=national, ensure_user=ensure_user)
    from demo.valuechain_data import load_valuechain

    report += load_valuechain(actor=national, ensure_user=ensure_user)
    from demo.payments_data import load_payments

    report += load_payments(actor=national, ensure_user=ensure_user)
    from demo.consulting_data import load_consulting

    report += load_consulting(ensure_user=ensure_user)  # the network's portal too
    from demo.tenders_data import load_tenders  # the network's portal first (idempotent)

    report += load_tenders(ensure_user=ensure_user)
    from demo.knowledge_data import load_knowledge

    report += load_knowledge(ensure_user=ensure_user)
    from demo.events_data import load_events

    report += load_events(ensure_user=ensure_user)
    from demo.mediation_data import load_mediation

    report += load_mediation(ensure_user=ensure_user)
    from demo.networkgov_data import load_networkgov

    report += load_networkgov(ensure_user=ensure_user)
    from demo.sponsoring_data import load_sponsoring

    report += load_sponsoring(ensure_user=ensure_user)
    return report
