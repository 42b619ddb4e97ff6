"""The cooperative's subset of the SYSCOHADA revised chart (seeded by a data migration),
the treasury journals, the simple-mode categories and the statement layouts."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# Accounts every cooperative's books use, by number. Others apps' postings rely on them.
SALES = "70"  # class 70, "Ventes": every sales account starts with it
CAPITAL_UNCALLED = "1011"
CAPITAL_CALLED_UNPAID = "1012"
CAPITAL_PAID = "1013"
GENERAL_RESERVE = "111"
TRAINING_RESERVE = "1121"
OPTIONAL_RESERVE = "1181"
RETAINED_EARNINGS = "121"
RETAINED_LOSSES = "1291"
PROFIT = "131"
LOSS = "139"
BANK_LOANS = "162"
MEMBERS_CAPITAL_CALLED = "4613"
MEMBERS_CAPITAL_TO_REFUND = "4619"
MEMBERS_CURRENT = "4621"
MEMBERS_PAYABLE = "465"
BANK = "521"
MOBILE_MONEY = "552"
CASH = "5711"
BANK_FEES = "631"
LOAN_INTEREST = "6712"

# channel -> (journal code, journal label, journal kind, treasury account)
TREASURY_JOURNALS = {
    "cash": ("CA", _("Caisse"), "cash", CASH),
    "bank": ("BQ", _("Banque"), "bank", BANK),
    "mobile_money": ("MM", _("Mobile money"), "mobile_money", MOBILE_MONEY),
}
OPERATIONS_JOURNAL = ("OD", _("Opérations diverses"), "operations", None)
CHANNELS = [
    ("cash", _("Espèces (caisse)")),
    ("bank", _("Banque")),
    ("mobile_money", _("Mobile money")),
]

# Simple mode: what the treasurer picks -> the account on the other side of the treasury.
RECEIPT_CATEGORIES = [
    ("sales_goods", _("Vente de produits de la coopérative"), "7021"),
    ("sales_merchandise", _("Vente de marchandises achetées pour la revente"), "7011"),
    ("services", _("Prestation de services"), "7061"),
    ("subsidy", _("Subvention d'exploitation reçue"), "718"),
    ("member_fees", _("Cotisations et droits d'adhésion des membres"), "7581"),
    ("other_income", _("Autre recette"), "7588"),
    ("interest_received", _("Intérêts reçus"), "771"),
    ("loan_received", _("Emprunt reçu d'une banque ou d'une mutuelle"), BANK_LOANS),
    ("customer_paid", _("Règlement d'un client (vente à crédit)"), "411"),
]
PAYMENT_CATEGORIES = [
    ("raw_materials", _("Achat de matières premières"), "6021"),
    ("merchandise", _("Achat de marchandises pour la revente"), "6011"),
    ("supplies", _("Petites fournitures et emballages"), "6047"),
    ("utilities", _("Eau, électricité, carburant"), "6052"),
    ("office", _("Fournitures de bureau"), "6055"),
    ("transport", _("Transport"), "6181"),
    ("rent", _("Loyer"), "6222"),
    ("repairs", _("Entretien et réparations"), "6241"),
    ("insurance", _("Assurance"), "625"),
    ("telecom", _("Téléphone et internet"), "628"),
    ("bank_fees", _("Frais bancaires et de mobile money"), BANK_FEES),
    ("training", _("Formation"), "633"),
    ("taxes", _("Impôts et taxes"), "641"),
    ("wages", _("Salaires et rémunérations"), "661"),
    ("social_charges", _("Charges sociales"), "664"),
    ("other_expense", _("Autre dépense"), "658"),
    ("interest_paid", _("Intérêts d'emprunt"), LOAN_INTEREST),
    ("equipment", _("Achat de matériel ou d'équipement"), "241"),
    ("loan_repaid", _("Remboursement du capital d'un emprunt"), BANK_LOANS),
    ("supplier_paid", _("Règlement d'un fournisseur (achat à crédit)"), "401"),
]


def category_account(kind: str, category: str) -> str | None:
    rows = RECEIPT_CATEGORIES if kind == "receipt" else PAYMENT_CATEGORIES
    for code, _label, account in rows:
        if code == category:
            return account
    return None


# Income statement, simplified SYSCOHADA layout: (key, label, prefixes, sign)
# sign +1: income (credit balance), -1: expense (debit balance).
INCOME_STATEMENT = [
    ("TA", _("Ventes de marchandises"), ["701"], 1),
    ("RA", _("Achats de marchandises"), ["601"], -1),
    ("RB", _("Variation de stocks de marchandises"), ["6031"], -1),
    ("XA", _("MARGE COMMERCIALE"), None, 0),
    ("TB", _("Ventes de produits fabriqués"), ["702", "703", "704", "705"], 1),
    ("TC", _("Travaux, services vendus"), ["706"], 1),
    ("TD", _("Produits accessoires"), ["707"], 1),
    ("XB", _("CHIFFRE D'AFFAIRES"), None, 0),
    ("TE", _("Production stockée (ou déstockage)"), ["73"], 1),
    ("TH", _("Subventions d'exploitation"), ["71"], 1),
    ("TI", _("Autres produits"), ["75"], 1),
    ("RC", _("Achats de matières premières et fournitures liées"), ["602"], -1),
    ("RE", _("Autres achats"), ["604", "605", "608"], -1),
    ("RG", _("Transports"), ["61"], -1),
    ("RH", _("Services extérieurs"), ["62", "63"], -1),
    ("RI", _("Impôts et taxes"), ["64"], -1),
    ("RJ", _("Autres charges"), ["65"], -1),
    ("RK", _("Charges de personnel"), ["66"], -1),
    ("RL", _("Dotations aux amortissements et provisions"), ["68", "69"], -1),
    ("XE", _("RÉSULTAT D'EXPLOITATION"), None, 0),
    ("TK", _("Revenus financiers"), ["77"], 1),
    ("RM", _("Frais financiers"), ["67"], -1),
    ("XF", _("RÉSULTAT FINANCIER"), None, 0),
    ("TN", _("Produits hors activités ordinaires (HAO)"), ["82", "84", "86", "88"], 1),
    ("RO", _("Charges hors activités ordinaires (HAO)"), ["81", "83", "85", "87"], -1),
    ("XH", _("RÉSULTAT HAO"), None, 0),
    ("RS", _("Impôts sur le résultat"), ["89"], -1),
    ("XI", _("RÉSULTAT NET"), None, 0),
]
# Which detail lines each subtotal sums (cumulative subtotals as in SYSCOHADA).
INCOME_SUBTOTALS = {
    "XA": ["TA", "RA", "RB"],
    "XB": ["TA", "TB", "TC", "TD"],
    "XE": [
        "TA",
        "RA",
        "RB",
        "TB",
        "TC",
        "TD",
        "TE",
        "TH",
        "TI",
        "RC",
        "RE",
        "RG",
        "RH",
        "RI",
        "RJ",
        "RK",
        "RL",
    ],
    "XF": ["TK", "RM"],
    "XH": ["TN", "RO"],
    "XI": None,  # every detail line
}

# Balance sheet: (key, label, prefixes, side) where side is "asset" or "liability".
# Class 4 and 5 accounts go to the side of their balance (debit: asset, credit: liability).
BALANCE_SHEET_ASSETS = [
    ("AD", _("Immobilisations incorporelles"), ["21"]),
    ("AI", _("Immobilisations corporelles (nettes)"), ["22", "23", "24", "28"]),
    ("AQ", _("Immobilisations financières"), ["26", "27"]),
    ("BB", _("Stocks"), ["3"]),
    ("BH", _("Fournisseurs, avances versées"), ["409"]),
    ("BI", _("Clients"), ["41"]),
    ("BJ", _("Autres créances (dont membres)"), ["4"]),
    ("BS", _("Trésorerie-actif (banque, mobile money, caisse)"), ["5"]),
]
BALANCE_SHEET_LIABILITIES = [
    ("CA", _("Capital"), ["10"]),
    ("CD", _("Réserves (générale, de formation, facultatives)"), ["11"]),
    ("CG", _("Report à nouveau"), ["12"]),
    ("CH", _("Résultat net de l'exercice"), ["13", "6", "7", "8"]),
    ("CL", _("Subventions d'investissement"), ["14"]),
    ("DA", _("Emprunts et dettes financières"), ["16", "17"]),
    ("DJ", _("Fournisseurs"), ["40"]),
    ("DK", _("Dettes fiscales et sociales"), ["42", "43", "44"]),
    ("DM", _("Autres dettes (dont membres)"), ["4"]),
    ("DV", _("Trésorerie-passif"), ["5"]),
]
