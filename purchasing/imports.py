"""Spreadsheets of the centrale d'achat (CSV or XLSX, core.tabular's limits and report):

- **market prices** (a market information system's bulletin): one price a row, recorded
  through ``market_price_record`` (an agent in their area only);
- **members' needs** of one cooperative in one campaign: one member, product and quantity
  a row; the cooperative's order becomes their sums (``order_place_from_needs``, which
  replaces the order's lines and keeps its place in time).

Every row is checked first; with any error nothing is written (core.tabular.TabularImport).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.tabular import (
    CellError,
    Column,
    Row,
    TabularImport,
    column_error,
    parse_date,
    parse_int,
)
from core.text import fold
from geo.models import Area
from purchasing import checks, services
from purchasing.models import Product
from purchasing.rules import can_record_price, require_orderer, require_reference_editor

PRODUCT = Column("product", aliases=("produit", "article"))
AREA = Column("area", aliases=("zone", "code zone", "departement", "département", "commune"))
PRICE = Column("price", aliases=("prix", "prix unitaire", "prix (f cfa)", "prix f cfa"))
OBSERVED_ON = Column("observed_on", aliases=("date", "date du releve", "date du relevé"))
SOURCE = Column("source", required=False, aliases=("origine", "bulletin"))
PERSON = Column(
    "person", aliases=("personne", "membre", "id membre", "cni", "numero cni", "numéro cni")
)
QUANTITY = Column("quantity", aliases=("quantite", "quantité", "besoin"))


def _whole(row: Row, column: str, low: int, high: int) -> int:
    try:
        value = parse_int(row[column]) if row[column] else None
    except CellError as exc:
        raise column_error(column, exc) from None
    if value is None or not low <= value <= high:
        raise column_error(
            column, _("Indiquez un nombre entier entre %(a)s et %(b)s.") % {"a": low, "b": high}
        )
    return value


@dataclass
class PricePlan:
    product: Product
    area: Area
    price: int
    observed_on: object
    source: str


class PriceImport(TabularImport):
    """``product`` (name or id), ``area`` (code), ``price`` (F CFA per unit),
    ``observed_on``, ``source`` (optional)."""

    columns = [PRODUCT, AREA, PRICE, OBSERVED_ON, SOURCE]
    field_columns = {"price": "price", "observed_on": "observed_on", "source": "source"}

    def check_permission(self) -> None:
        require_reference_editor(self.actor)  # agents (their area, row by row), national

    def prepare(self, rows) -> None:
        products = list(Product.objects.all())
        self.products = {fold(p.name): p for p in products} | {str(p.pk): p for p in products}
        codes = {r["area"].strip().upper() for r in rows if r["area"]}
        self.areas = {a.code.upper(): a for a in Area.objects.filter(code__in=codes)}

    def validate(self, row: Row) -> PricePlan | None:
        product = self.products.get(fold(row["product"])) or self.products.get(row["product"])
        if product is None:
            raise column_error("product", _("Produit inconnu : %(p)s.") % {"p": row["product"]})
        area = self.areas.get(row["area"].strip().upper())
        if area is None:
            raise column_error("area", _("Zone inconnue : %(c)s.") % {"c": row["area"]})
        if not can_record_price(self.actor, area):
            raise column_error("area", _("Vous ne relevez des prix que dans votre zone."))
        price = _whole(row, "price", 1, checks.MAX_PRICE)
        try:
            observed_on = parse_date(row["observed_on"])
        except CellError as exc:
            raise column_error("observed_on", exc) from None
        checks.event_date(observed_on, field="observed_on")
        source = checks.text(row.get("source", ""), field="source", max_length=120)
        return PricePlan(product, area, price, observed_on, source)

    def write(self, plan: PricePlan) -> str:
        services.market_price_record(
            actor=self.actor,
            product=plan.product,
            area=plan.area,
            price=plan.price,
            observed_on=plan.observed_on,
            source=plan.source,
        )
        return "created"


class NeedsImport(TabularImport):
    """The members' needs of ``cooperative`` in ``campaign``: ``person`` (id or national
    id card number), ``product`` (a product offered in the campaign: name or offer id),
    ``quantity``. The whole file becomes the cooperative's order (one write)."""

    columns = [PERSON, PRODUCT, QUANTITY]

    def __init__(self, *, campaign, cooperative, **kwargs):
        super().__init__(**kwargs)
        self.campaign, self.cooperative = campaign, cooperative

    def check_permission(self) -> None:
        require_orderer(self.actor, self.campaign.group, self.cooperative)

    def prepare(self, rows) -> None:
        from registry.models import Membership

        offers = list(self.campaign.offers.select_related("product"))
        self.offers = {fold(o.product.name): o for o in offers} | {str(o.pk): o for o in offers}
        members = Membership.objects.filter(
            cooperative=self.cooperative, left_on__isnull=True
        ).select_related("person")
        self.persons = {}
        for m in members:
            self.persons[str(m.person.pk)] = m.person
            if m.person.national_id:
                self.persons[m.person.national_id.replace(" ", "")] = m.person
        self.seen: dict[tuple[int, int], int] = {}

    def validate(self, row: Row):
        person = self.persons.get(row["person"].replace(" ", ""))
        if person is None:
            raise column_error(
                "person",
                _("%(p)s n'est pas un membre de la coopérative (identifiant ou n° de CNI).")
                % {"p": row["person"]},
            )
        offer = self.offers.get(fold(row["product"])) or self.offers.get(row["product"])
        if offer is None:
            raise column_error(
                "product",
                _("Ce produit n'est pas offert dans la campagne : %(p)s.") % {"p": row["product"]},
            )
        quantity = _whole(row, "quantity", 1, checks.MAX_QUANTITY)
        first = self.seen.setdefault((person.pk, offer.pk), row.number)
        if first != row.number:
            raise column_error(
                "product", _("Ce membre a déjà ce produit ligne %(n)s.") % {"n": first}
            )
        return (person, offer, quantity)

    def write_all(self, plans) -> None:
        if plans:
            self.write_one(plans[0][0], [plan for _n, plan in plans])
            self.report.created = len(plans)  # one order, counted by rows as a dry run

    def write(self, plan) -> str:
        services.order_place_from_needs(
            actor=self.actor, campaign=self.campaign, cooperative=self.cooperative, needs=plan
        )
        return "created"
