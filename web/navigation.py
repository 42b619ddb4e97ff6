"""The menu follows the user's roles. Apps add their entries here as they land."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role
from accounts.scoping import scope_for
from health.selectors import staff_roles as health_staff_roles
from valuechain.selectors import is_partner_staff


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset[str]


# Health staff hold no accounts role: a scheme's agents and a provider's staff (health's
# own HealthStaff rows) get these menu roles. A user who also holds an accounts role keeps
# that role's menu (its "Santé" entry leads to the same pages).
HEALTH_MUTUAL = "health_mutual"
HEALTH_PROVIDER = "health_provider"
HEALTH_STAFF = frozenset({HEALTH_MUTUAL, HEALTH_PROVIDER})
ALL = frozenset(Role.values)
STAFF = frozenset({Role.NATIONAL, Role.AGENT})
# A partner enterprise's staff (valuechain's PartnerStaff) hold no accounts role either:
# they read the value chains their enterprise sponsors.
VALUE_CHAIN_PARTNER = "valuechain_partner"
VALUE_CHAIN = STAFF | {Role.OFFICER, VALUE_CHAIN_PARTNER}

MENU = [
    NavItem(_("Accueil"), "home", ALL | HEALTH_STAFF | {VALUE_CHAIN_PARTNER}),
    NavItem(_("Suivi du programme"), "monitoring:dashboard", STAFF),
    NavItem(_("Cibles"), "monitoring:targets", frozenset({Role.NATIONAL})),
    NavItem(_("Prêts"), "credit:loan_list", ALL),
    NavItem(_("Impayés"), "credit:arrears_list", STAFF | {Role.LENDER}),
    NavItem(_("Portefeuille"), "credit:portfolio", frozenset({Role.NATIONAL, Role.LENDER})),
    NavItem(_("Coopératives"), "registry:cooperative_list", STAFF | {Role.OFFICER}),
    NavItem(_("Personnes"), "registry:person_list", STAFF | {Role.OFFICER}),
    NavItem(_("Comptabilité"), "ledger:home", STAFF | {Role.OFFICER}),
    NavItem(_("Paiements mobiles"), "payments:list", STAFF | {Role.OFFICER, Role.LENDER}),
    NavItem(_("Rapprochement"), "payments:reconciliation", frozenset({Role.NATIONAL})),
    NavItem(_("Paiements à vérifier"), "payments:review", frozenset({Role.NATIONAL})),
    NavItem(_("Versements sortants"), "payments:payout_list", frozenset({Role.NATIONAL})),
    NavItem(_("Formations"), "training:session_list", STAFF | {Role.OFFICER, Role.MEMBER}),
    NavItem(_("Visites de terrain"), "training:visit_list", STAFF | {Role.OFFICER}),
    NavItem(_("Mon travail de terrain"), "training:worklist", STAFF),
    NavItem(_("Terrain hors ligne"), "sync:field", STAFF | {Role.OFFICER}),
    NavItem(_("Conflits de synchronisation"), "sync:conflict_list", STAFF),
    NavItem(_("Capital social"), "capital:index", STAFF | {Role.OFFICER, Role.MEMBER}),
    NavItem(_("Gouvernance"), "governance:index", STAFF | {Role.OFFICER, Role.MEMBER}),
    NavItem(_("Santé"), "health:index", ALL | HEALTH_STAFF),
    NavItem(_("Demandes de remboursement"), "health:claim_list", HEALTH_STAFF),
    NavItem(_("Rapports santé"), "health:report", frozenset({HEALTH_MUTUAL})),
    NavItem(_("SMS"), "messaging:template_list", STAFF),
    NavItem(_("Codes PIN USSD"), "ussd:pin_list", STAFF),
    NavItem(_("Achats groupés"), "purchasing:index", STAFF | {Role.OFFICER}),
    NavItem(_("Prix du marché"), "purchasing:prices", STAFF | {Role.OFFICER}),
    NavItem(_("Chaîne de valeur"), "valuechain:index", VALUE_CHAIN),
]


def menu_for(request) -> list[dict]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    roles = scope_for(user).roles
    if not roles:
        # Health staff hold no accounts role (one more query, for those users only).
        roles = {f"health_{r}" for r in health_staff_roles(user)}
    if not roles & ALL and is_partner_staff(user):  # no accounts role: one more query
        roles = {*roles, VALUE_CHAIN_PARTNER}
    items = []
    for item in MENU:
        if not roles & item.roles:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        items.append(
            {
                "label": item.label,
                "url": url,
                "active": request.path == url or (url != "/" and request.path.startswith(url)),
            }
        )
    return items
