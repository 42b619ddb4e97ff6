"""The programme's indicators, computed from the operational data.

Each indicator is computed for an area (its whole subtree), a year and an "as of" day,
through the acting user's scope: an agent's figures only ever count their own area.
Definitions are shown to users next to the figures.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from credit.arrears import ratio as credit_ratio
from credit.selectors import portfolio
from geo.models import Area
from health.models import Household
from health.reports import area_q as health_area_q
from health.reports import components_total as health_components_total
from health.selectors import household_q
from ledger import chart
from ledger.models import JournalLine
from purchasing.models import Invoice
from purchasing.pricewatch import invoices_saving
from registry.jobs import decent_job_q
from registry.models import Cooperative, Employment, Membership, Stage
from registry.selectors import cooperative_scope_q, youth_q
from training.models import Participant
from training.selectors import cooperatives_supported, session_scope_q
from valuechain.models import PRODUCED_ORIGINS, Lot, ProductionRun
from valuechain.services import MASS


@dataclass(frozen=True)
class Context:
    actor: object
    area: Area
    year: int
    as_of: datetime.date

    @property
    def year_start(self) -> datetime.date:
        return datetime.date(self.year, 1, 1)


@dataclass(frozen=True)
class Indicator:
    code: str
    label: str
    unit: str
    definition: str
    compute: Callable[[Context, dict], int | Decimal]
    list_url: str | None = None  # URL name of the scoped list of records behind the figure


def cooperatives_in_scope(ctx: Context):
    return Cooperative.objects.filter(
        cooperative_scope_q(ctx.actor), commune__path__startswith=ctx.area.path
    )


# --- the definitions, once: the indicators below, the rollups (monitoring/rollups.py) and
# the home panels (web/selectors.py) filter with these


def alive_q(as_of: datetime.date, prefix: str = "") -> Q:
    """Cooperatives existing on ``as_of``: founded (or entered) by then and not dissolved
    by then. ``prefix``: the path to the cooperative (``"cooperative__"``)."""
    founded = Q(**{f"{prefix}founded_on__lte": as_of}) | Q(
        **{f"{prefix}founded_on__isnull": True, f"{prefix}created_at__date__lte": as_of}
    )
    dissolved = Q(**{f"{prefix}stage": Stage.DISSOUTE, f"{prefix}stage_changed_on__lte": as_of})
    return founded & ~dissolved


def created_q(start: datetime.date, as_of: datetime.date) -> Q:
    """Cooperatives founded (or entered) between ``start`` and ``as_of``."""
    return Q(founded_on__gte=start, founded_on__lte=as_of) | Q(
        founded_on__isnull=True, created_at__date__gte=start, created_at__date__lte=as_of
    )


def held_q(as_of: datetime.date) -> Q:
    """A membership held on ``as_of``: joined by then, not left, not suspended, of a person
    not merged into another (the cooperative's existence: :func:`alive_q`)."""
    return (
        Q(joined_on__lte=as_of, person__merged_into__isnull=True)
        & (Q(left_on__isnull=True) | Q(left_on__gt=as_of))
        & ~Q(status="suspended")
    )


def memberships_of_alive(as_of: datetime.date):
    """Memberships held on ``as_of`` in cooperatives existing then (every cooperative:
    the rollups and the home panels narrow it down)."""
    return Membership.objects.filter(alive_q(as_of, "cooperative__"), held_q(as_of))


def cooperatives_alive(ctx: Context):
    """Cooperatives existing on as_of: founded (or entered) by then and not dissolved by then."""
    return cooperatives_in_scope(ctx).filter(alive_q(ctx.as_of))


def memberships_held(ctx: Context):
    """Memberships held on as_of in cooperatives existing on as_of."""
    return Membership.objects.filter(cooperative__in=cooperatives_alive(ctx)).filter(
        held_q(ctx.as_of)
    )


def _distinct_persons(qs) -> int:
    return qs.order_by().values("person_id").distinct().count()


def cooperatives_total(ctx: Context, cache: dict) -> int:
    return cache.setdefault("alive", cooperatives_alive(ctx).count())


def cooperatives_created(ctx: Context, cache: dict) -> int:
    return cooperatives_in_scope(ctx).filter(created_q(ctx.year_start, ctx.as_of)).count()


def members_total(ctx: Context, cache: dict) -> int:
    return _distinct_persons(memberships_held(ctx))


def members_women(ctx: Context, cache: dict) -> int:
    return _distinct_persons(memberships_held(ctx).filter(person__sex="F"))


def members_youth(ctx: Context, cache: dict) -> int:
    return _distinct_persons(memberships_held(ctx).filter(youth_q(ctx.as_of, prefix="person__")))


def work_days_per_job() -> int:
    """Members' work days on recorded production that make one job (full-time
    equivalent): ``settings.SUNUCOOP["DECENT_JOB_WORK_DAYS"]``, default 240 (48 weeks of
    5 days; **unverified**, an assumption of this project, docs/monitoring.md)."""
    conf = getattr(settings, "SUNUCOOP", {})
    return max(int(conf.get("DECENT_JOB_WORK_DAYS", WORK_DAYS_PER_JOB)), 1)


WORK_DAYS_PER_JOB = 240


def production_work(as_of: datetime.date):
    """The one definition of the production work that counts as jobs: the value chains'
    production runs of the 12 months ending ``as_of`` (after the same day a year before,
    up to ``as_of``) with members' work days recorded. The indicator, the rollups (the
    ``work_days`` component) and the records behind the figure all read it."""
    return ProductionRun.objects.filter(
        on__gt=as_of - datetime.timedelta(days=365), on__lte=as_of, work_days__gt=0
    )


def jobs_from_work(days: int) -> int:
    """Full-time-equivalent jobs in ``days`` members' work days (whole jobs, rounded down,
    counted over an area's total so that small cooperatives add up)."""
    return (days or 0) // work_days_per_job()


def decent_jobs(ctx: Context, cache: dict) -> int:
    employed = Employment.objects.filter(
        decent_job_q(ctx.as_of), cooperative__in=cooperatives_alive(ctx)
    ).count()
    days = production_work(ctx.as_of).filter(cooperative__in=cooperatives_alive(ctx))
    return employed + jobs_from_work(days.aggregate(n=Sum("work_days"))["n"])


def percent(numerator: int, denominator: int) -> Decimal:
    if not denominator:
        return Decimal("0.0")
    return (Decimal(100) * numerator / denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)


def cooperatives_supported_pct(ctx: Context, cache: dict) -> Decimal:
    supported = (
        cooperatives_supported(actor=ctx.actor, as_of=ctx.as_of)
        .filter(commune__path__startswith=ctx.area.path)
        .count()
    )
    return percent(supported, cooperatives_total(ctx, cache))


def sales_lines(start: datetime.date, as_of: datetime.date):
    """The one definition of sales (the ``production_value`` figure): the journal lines
    of the sales accounts (SYSCOHADA class 70, ``ledger.chart.SALES``) dated from
    ``start`` to ``as_of``; the sales are their credits less their debits
    (:func:`net_sales`). The indicator, the rollups and the records behind the figure
    all read it."""
    return JournalLine.objects.filter(
        account__code__startswith=chart.SALES, date__gte=start, date__lte=as_of
    )


def net_sales(credit, debit) -> int:
    return int(credit or 0) - int(debit or 0)


def production_value(ctx: Context, cache: dict) -> int:
    sums = (
        sales_lines(ctx.year_start, ctx.as_of)
        .filter(cooperative__in=cooperatives_in_scope(ctx))
        .aggregate(credit=Sum("credit"), debit=Sum("debit"))
    )
    return net_sales(sums["credit"], sums["debit"])


def production_lots(start: datetime.date, as_of: datetime.date):
    """The one definition of production (the ``production_volume`` figure): the value
    chains' lots made by a production run or entered as a harvest
    (``valuechain.models.PRODUCED_ORIGINS``; a purchase is not production), dated from
    ``start`` to ``as_of``, of a product measured by weight (kg, tonne: ``MASS``), counted
    in kilograms (:func:`kilograms`). The indicator, the rollups and the records behind
    the figure all read it."""
    return Lot.objects.filter(
        origin__in=PRODUCED_ORIGINS,
        on__gte=start,
        on__lte=as_of,
        product__unit__in=sorted(MASS),
    )


def kilograms(rows) -> int:
    """Kilograms of ``(unit, quantity)`` pairs (a tonne is 1 000 kg)."""
    return sum(MASS[unit] * int(quantity or 0) for unit, quantity in rows)


def production_volume(ctx: Context, cache: dict) -> int:
    rows = (
        production_lots(ctx.year_start, ctx.as_of)
        .filter(cooperative__in=cooperatives_in_scope(ctx))
        .order_by()
        .values_list("product__unit")
        .annotate(q=Sum("quantity"))
    )
    return kilograms(rows)


def purchase_invoices(ctx: Context):
    """Invoices of the centrales d'achat to cooperatives in scope, issued in the year."""
    return Invoice.objects.filter(
        cooperative__in=cooperatives_in_scope(ctx),
        issued_on__gte=ctx.year_start,
        issued_on__lte=ctx.as_of,
    )


def purchases_value(ctx: Context, cache: dict) -> int:
    return int(purchase_invoices(ctx).aggregate(s=Sum("amount"))["s"] or 0)


def purchases_savings(ctx: Context, cache: dict) -> int:
    return invoices_saving(purchase_invoices(ctx))


def cooperatives_buying_together(ctx: Context, cache: dict) -> int:
    return purchase_invoices(ctx).order_by().values("cooperative_id").distinct().count()


def health_households(ctx: Context):
    """Households of mutual health insurance in scope and in the area."""
    return Household.objects.filter(household_q(ctx.actor)).filter(health_area_q(ctx.area.path))


def _health(ctx: Context, cache: dict) -> dict:
    if "health" not in cache:
        cache["health"] = health_components_total(
            health_households(ctx), year=ctx.year, as_of=ctx.as_of
        )
    return cache["health"]


def health_covered_persons(ctx: Context, cache: dict) -> int:
    return _health(ctx, cache)["health_persons"]


def health_households_covered(ctx: Context, cache: dict) -> int:
    return _health(ctx, cache)["health_households_covered"]


def health_contribution_recovery(ctx: Context, cache: dict) -> Decimal:
    c = _health(ctx, cache)
    return credit_ratio(c["health_collected"], c["health_due"])


def health_loss_ratio(ctx: Context, cache: dict) -> Decimal:
    c = _health(ctx, cache)
    return credit_ratio(c["health_claims"], c["health_collected"])


def _portfolio(ctx: Context, cache: dict) -> dict:
    if "portfolio" not in cache:
        cache["portfolio"] = portfolio(
            actor=ctx.actor, as_of=ctx.as_of, area=ctx.area.code, period_start=ctx.year_start
        )
    return cache["portfolio"]


def loans_outstanding(ctx: Context, cache: dict) -> int:
    return int(_portfolio(ctx, cache)["outstanding"])


def par30(ctx: Context, cache: dict) -> Decimal:
    return Decimal(_portfolio(ctx, cache)["par30"])


def recovery_rate(ctx: Context, cache: dict) -> Decimal:
    return Decimal(_portfolio(ctx, cache)["recovery_rate"])


def trained_people(ctx: Context, cache: dict) -> int:
    return (
        Participant.objects.filter(
            completed=True,
            session__ends_on__lte=ctx.as_of,
            session__commune__path__startswith=ctx.area.path,
            session__in=sessions_in_scope(ctx),
        )
        .order_by()
        .values("person_id")
        .distinct()
        .count()
    )


def sessions_in_scope(ctx: Context):
    from training.models import Session

    return Session.objects.filter(session_scope_q(ctx.actor)).values("id")


INDICATORS: list[Indicator] = [
    Indicator(
        "cooperatives_total",
        _("Coopératives"),
        "cooperatives",
        _(
            "Coopératives existant à la date de calcul : créées au plus tard ce jour-là "
            "et non dissoutes."
        ),
        cooperatives_total,
        "registry:cooperative_list",
    ),
    Indicator(
        "cooperatives_created",
        _("Coopératives créées dans l'année"),
        "cooperatives",
        _("Coopératives dont la date de création tombe dans l'année, jusqu'à la date de calcul."),
        cooperatives_created,
        "registry:cooperative_list",
    ),
    Indicator(
        "members_total",
        _("Membres"),
        "persons",
        _(
            "Personnes distinctes membres d'au moins une coopérative à la date de calcul "
            "(une personne membre de deux coopératives compte une fois)."
        ),
        members_total,
        "registry:person_list",
    ),
    Indicator(
        "members_women",
        _("Femmes membres"),
        "persons",
        _("Parmi les membres, les femmes (personnes distinctes)."),
        members_women,
        "registry:person_list",
    ),
    Indicator(
        "members_youth",
        _("Jeunes membres"),
        "persons",
        _(
            "Parmi les membres, les jeunes : âge compris dans la tranche réglable "
            "(15-35 ans par défaut) à la date de calcul."
        ),
        members_youth,
        "registry:person_list",
    ),
    Indicator(
        "decent_jobs",
        _("Emplois décents"),
        "jobs",
        _(
            "Emplois en cours à la date de calcul qui respectent la règle de l'emploi "
            "décent (contrat écrit, salaire au moins égal au minimum réglé, sécurité "
            "sociale), plus les emplois en équivalent temps plein du travail des membres "
            "sur la production enregistrée : journées de travail des 12 derniers mois "
            "divisées par le nombre réglé de journées d'un emploi (240 par défaut)."
        ),
        decent_jobs,
        "registry:cooperative_list",
    ),
    Indicator(
        "cooperatives_supported_pct",
        _("Coopératives accompagnées"),
        "percent",
        _(
            "Part des coopératives existantes qui sont substantiellement accompagnées "
            "(par défaut : au moins une formation achevée par un membre et une visite "
            "dans les 6 derniers mois)."
        ),
        cooperatives_supported_pct,
        "training:worklist",
    ),
    Indicator(
        "production_value",
        _("Valeur de la production vendue"),
        "XOF",
        _(
            "Ventes de l'année jusqu'à la date de calcul (comptes 70 du SYSCOHADA, "
            "nettes des retours), dans les livres des coopératives."
        ),
        production_value,
        None,
    ),
    Indicator(
        "production_volume",
        _("Volume produit (kg)"),
        "kg",
        _(
            "Kilogrammes produits dans l'année jusqu'à la date de calcul par les chaînes "
            "de valeur : lots sortis d'une transformation ou entrés comme récolte (pas "
            "les achats), des produits mesurés au poids (kg, tonne), par les coopératives "
            "de la zone. Le détail donne chaque produit dans son unité, par chaîne."
        ),
        production_volume,
        None,
    ),
    Indicator(
        "purchases_value",
        _("Achats groupés"),
        "XOF",
        _(
            "Montant des factures des centrales d'achat aux coopératives, émises dans "
            "l'année jusqu'à la date de calcul."
        ),
        purchases_value,
        "purchasing:invoice_list",
    ),
    Indicator(
        "purchases_savings",
        _("Économies des achats groupés"),
        "XOF",
        _(
            "Par ligne facturée : (prix médian du marché dans la zone de la centrale sur les "
            "4 semaines avant la clôture − prix payé) × quantité ; sans prix du marché : 0."
        ),
        purchases_savings,
        "purchasing:invoice_list",
    ),
    Indicator(
        "cooperatives_buying_together",
        _("Coopératives achetant ensemble"),
        "cooperatives",
        _("Coopératives ayant reçu une facture d'une centrale d'achat dans l'année."),
        cooperatives_buying_together,
        "purchasing:invoice_list",
    ),
    Indicator(
        "loans_outstanding",
        _("Encours de crédit"),
        "XOF",
        _("Capital restant dû des prêts décaissés et non soldés à la date de calcul."),
        loans_outstanding,
        "credit:loan_list",
    ),
    Indicator(
        "par30",
        _("Portefeuille à risque à 30 jours (PAR30)"),
        "ratio",
        _(
            "Capital restant dû des prêts en retard de plus de 30 jours, rapporté à "
            "l'encours total. Norme BCEAO indicative : au plus 3 %."
        ),
        par30,
        "credit:arrears_list",
    ),
    Indicator(
        "recovery_rate",
        _("Taux de recouvrement"),
        "ratio",
        _(
            "Montants encaissés rapportés aux montants échus depuis le 1er janvier de "
            "l'année, jusqu'à la date de calcul."
        ),
        recovery_rate,
        "credit:arrears_list",
    ),
    Indicator(
        "trained_people",
        _("Personnes formées"),
        "persons",
        _(
            "Personnes distinctes ayant achevé au moins une session de formation "
            "(présentes chaque jour) terminée à la date de calcul."
        ),
        trained_people,
        "training:session_list",
    ),
    Indicator(
        "health_covered_persons",
        _("Personnes couvertes par une mutuelle de santé"),
        "persons",
        _(
            "Personnes dont la couverture santé est active à la date de calcul (adhésion "
            "faite, délai de carence passé, cotisations payées jusqu'à ce jour) dans les "
            "ménages enrôlés de la zone (commune de la coopérative, ou du chef de ménage "
            "pour une adhésion directe). Une personne couverte par deux mutuelles compte "
            "deux fois."
        ),
        health_covered_persons,
        "health:report",
    ),
    Indicator(
        "health_households_covered",
        _("Ménages couverts par une mutuelle de santé"),
        "households",
        _("Ménages enrôlés dont au moins une personne est couverte à la date de calcul."),
        health_households_covered,
        "health:report",
    ),
    Indicator(
        "health_contribution_recovery",
        _("Taux de recouvrement des cotisations santé"),
        "ratio",
        _(
            "Cotisations encaissées depuis le 1er janvier (droits d'adhésion compris) "
            "rapportées aux cotisations dues sur la même période : droits d'adhésion des "
            "personnes entrées dans l'année et mois écoulés pour les membres actuels."
        ),
        health_contribution_recovery,
        "health:report",
    ),
    Indicator(
        "health_loss_ratio",
        _("Ratio de sinistralité santé"),
        "ratio",
        _(
            "Montants pris en charge par les mutuelles pour les soins de l'année (demandes "
            "liquidées ou payées) rapportés aux cotisations encaissées dans l'année."
        ),
        health_loss_ratio,
        "health:report",
    ),
]
BY_CODE = {i.code: i for i in INDICATORS}
