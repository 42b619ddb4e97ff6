"""Authorization-matrix entries of purchasing (see accounts/tests/authz.py and
docs/purchasing.md, "Droits")."""

import datetime

from django.utils import timezone

from accounts.tests.authz import E, Pair, api, page
from geo.models import Area
from geo.tests.factories import commune
from purchasing import services
from registry.tests.factories import CooperativeFactory


def _side(world, supplier, product, *, area, coop, lead_name):
    """A group of ``coop`` led by a union seated in Dakar (outside both sides' areas, so
    that the other apps' pages see no extra cooperative), with three campaigns: open,
    closed, received (and ``coop``'s invoice)."""
    actor = world.national
    today = timezone.localdate()
    lead = CooperativeFactory(name=lead_name, commune=commune("SN-DK-DAK-01", "Dakar", "SN-DK-DAK"))
    group = services.group_create(
        actor=actor,
        name=f"Centrale {lead_name}",
        area=area,
        lead_cooperative=lead,
        cooperatives=[coop],
        joined_on=today - datetime.timedelta(days=60),
    )
    offer = {"product": product, "supplier": supplier, "pack_size": 10, "unit_price": 1000}

    def campaign(name):
        return services.campaign_create(
            actor=actor,
            group=group,
            name=name,
            opens_on=today - datetime.timedelta(days=30),
            closes_on=today + datetime.timedelta(days=10),
            offers=[offer],
        )

    open_, closed, received = campaign("Ouverte"), campaign("Clôturée"), campaign("Reçue")
    for c in (closed, received):
        services.order_place(
            actor=actor, campaign=c, cooperative=coop, lines=[(c.offers.get(), 10, 0)]
        )
        services.campaign_close(actor=actor, campaign=c, on=today)
    [invoice] = services.campaign_receive(
        actor=actor, campaign=received, on=today, lines=[(received.offers.get(), 10, 0)]
    )
    return group, open_, closed, received, invoice


def build(world, objs):
    supplier = services.supplier_create(actor=world.national, name="Fournisseur commun")
    product = services.product_create(actor=world.national, name="Engrais NPK", unit="sac")
    a = _side(
        world,
        supplier,
        product,
        area=Area.objects.get(code="SN-TC"),
        coop=world.coop_tc,
        lead_name="Union A",
    )
    b = _side(
        world,
        supplier,
        product,
        area=Area.objects.get(code="SN-TH-MBO"),
        coop=world.coop_mbour,
        lead_name="Union B",
    )
    for i, name in enumerate(["pgroup", "pcampaign", "pclosed", "preceived", "pinvoice"]):
        objs[name] = Pair(a[i], b[i])
    objs["poffer"] = Pair(a[1].offers.get(), b[1].offers.get())
    objs["pcoffer"] = Pair(a[2].offers.get(), b[2].offers.get())
    objs["psupplier"] = Pair(supplier, supplier)
    objs["pproduct"] = Pair(product, product)


# Managers: the national role and the agents whose area holds the group (region: side A's
# group in Tambacounda; department: side B's group in Mbour). The officer of a member
# cooperative reads its campaigns and orders; lenders, members and nobody see no group.
MANAGE = E(200, officer=403, lender=404, member=404, nobody=404)
READ = E(200, lender=404, member=404, nobody=404)
CREATE_REF = E(403, national=201, region=201, department=201)
TODAY = timezone.localdate().isoformat()  # dates of events: not in the future

ENTRIES = [
    page("purchasing:index", expect=E(200)),
    page("purchasing:campaign_create", expect=E(403, national=200, region=200, department=200)),
    page("purchasing:campaign_detail", pk="@pcampaign", expect=READ),
    page("purchasing:order_edit", pk="@pcampaign", coop="@cooperative", expect=READ),
    page("purchasing:campaign_close", pk="@pcampaign", expect=MANAGE),
    page("purchasing:campaign_receive", pk="@pclosed", expect=MANAGE),
    page(
        "purchasing:delivery_create",
        method="POST",
        pk="@preceived",
        coop="@cooperative",
        data={"on": TODAY, "received_by": "Signataire"},
        expect=E(302, officer=403, lender=404, member=404, nobody=404),
    ),
    page(
        "purchasing:purchase_order_pdf",
        pk="@pclosed",
        supplier="@psupplier",
        expect=E(200, officer=404, lender=404, member=404, nobody=404),
    ),
    page("purchasing:invoice_list", expect=E(200)),
    page("purchasing:invoice_detail", pk="@pinvoice", expect=READ),
    page("purchasing:prices", expect=E(200)),
    page("purchasing:price_import", expect=E(403, national=200, region=200, department=200)),
    page("purchasing:needs_import", pk="@pcampaign", coop="@cooperative", expect=READ),
    api("GET /api/v1/suppliers", expect=E(200)),
    api("POST /api/v1/suppliers", body={"name": "Nouveau fournisseur"}, expect=CREATE_REF),
    api("GET /api/v1/products", expect=E(200)),
    api("POST /api/v1/products", body={"name": "Nouveau", "unit": "kg"}, expect=CREATE_REF),
    api("GET /api/v1/purchasing/groups", expect=E(200)),
    api(
        "POST /api/v1/purchasing/groups",
        body={
            "name": "Nouvelle centrale",
            "area": "@commune.code",
            "cooperatives": ["@cooperative"],
        },
        expect=E(201, officer=403, lender=404, member=403, nobody=404),  # a member sees its coop
    ),
    api("GET /api/v1/purchasing/campaigns", expect=E(200)),
    api(
        "POST /api/v1/purchasing/campaigns",
        body={
            "group": "@pgroup",
            "name": "Nouvelle campagne",
            "opens_on": "2027-01-01",
            "closes_on": "2027-01-20",
        },
        expect=E(201, officer=403, lender=404, member=404, nobody=404),
    ),
    api("GET /api/v1/purchasing/campaigns/{campaign_id}", campaign_id="@pcampaign", expect=READ),
    api(
        "GET /api/v1/purchasing/campaigns/{campaign_id}/orders",
        campaign_id="@pcampaign",
        expect=READ,
    ),
    api(
        "POST /api/v1/purchasing/campaigns/{campaign_id}/orders",
        campaign_id="@pcampaign",
        body={"cooperative": "@cooperative", "lines": [{"offer": "@poffer", "quantity": 5}]},
        expect=E(201, lender=404, member=404, nobody=404),
    ),
    api(
        "GET /api/v1/purchasing/campaigns/{campaign_id}/close-preview",
        campaign_id="@pcampaign",
        expect=MANAGE,
    ),
    api(
        "POST /api/v1/purchasing/campaigns/{campaign_id}/close",
        campaign_id="@pcampaign",
        body={"on": TODAY},
        expect=MANAGE,
    ),
    api(
        "POST /api/v1/purchasing/campaigns/{campaign_id}/receive",
        campaign_id="@pclosed",
        body={"on": TODAY, "lines": [{"offer": "@pcoffer", "received": 10}]},
        expect=MANAGE,
    ),
    api(
        "GET /api/v1/purchasing/campaigns/{campaign_id}/savings",
        campaign_id="@preceived",
        expect=READ,
    ),
    api("GET /api/v1/purchasing/invoices", expect=E(200)),
    api(
        "POST /api/v1/purchasing/invoices/{invoice_id}/pay",
        invoice_id="@pinvoice",
        body={"on": TODAY, "channel": "cash"},
        expect=READ,
    ),
    api("GET /api/v1/prices", expect=E(200)),
    api(
        "POST /api/v1/prices",
        body={
            "product": "@pproduct",
            "area": "@commune.code",
            "price": 1200,
            "observed_on": TODAY,
        },
        expect=E(403, national=201, region=201, department=201, nobody=404),
        out={"region": 403, "department": 403, "officer": 403, "lender": 403, "member": 403},
    ),
    api("GET /api/v1/purchasing/price-alerts", expect=E(200)),
    # Sheets (purchasing/imports.py): a header only, as a dry run; the roles allowed get
    # its report (400: an empty sheet), the others 403 or 404.
    api(
        "POST /api/v1/prices/import",
        files={"file": ("prix.csv", b"produit;zone;prix;date\n")},
        body={"dry_run": "true"},
        expect=E(403, national=400, region=400, department=400),
    ),
    api(
        "POST /api/v1/purchasing/campaigns/{campaign_id}/needs/import",
        campaign_id="@pcampaign",
        files={"file": ("besoins.csv", "membre;produit;quantité\n".encode())},
        body={"cooperative": "@cooperative", "dry_run": "true"},
        expect=E(400, lender=404, member=404, nobody=404),
    ),
]
