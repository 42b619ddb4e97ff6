"""Seed the cooperative's subset of the SYSCOHADA revised chart (in force 1 Jan 2018)."""

from django.db import migrations

CHART = [
    # Class 1: equity and long-term debt
    ("101", "Capital social"),
    ("1011", "Capital souscrit, non appelé"),
    ("1012", "Capital souscrit, appelé, non versé"),
    ("1013", "Capital souscrit, appelé, versé (parts sociales libérées)"),
    ("1018", "Capital souscrit soumis à des conditions particulières"),
    ("111", "Réserve légale (réserve générale de la coopérative)"),
    ("112", "Réserves statutaires"),
    ("1121", "Réserve de formation et d'éducation coopérative"),
    ("118", "Autres réserves"),
    ("1181", "Réserves facultatives"),
    ("121", "Report à nouveau créditeur"),
    ("129", "Report à nouveau débiteur"),
    ("1291", "Perte nette à reporter"),
    ("131", "Résultat net : bénéfice"),
    ("139", "Résultat net : perte"),
    ("141", "Subventions d'équipement"),
    ("162", "Emprunts et dettes auprès des établissements de crédit"),
    ("168", "Autres emprunts et dettes"),
    # Class 2: fixed assets
    ("231", "Bâtiments"),
    ("241", "Matériel et outillage"),
    ("244", "Matériel et mobilier de bureau"),
    ("245", "Matériel de transport"),
    ("2841", "Amortissements du matériel et outillage"),
    ("2844", "Amortissements du matériel et mobilier de bureau"),
    ("2845", "Amortissements du matériel de transport"),
    # Class 3: inventory
    ("311", "Marchandises"),
    ("321", "Matières premières"),
    ("361", "Produits finis"),
    # Class 4: third parties
    ("401", "Fournisseurs"),
    ("409", "Fournisseurs, avances et acomptes versés"),
    ("411", "Clients"),
    ("419", "Clients, avances et acomptes reçus"),
    ("421", "Personnel, rémunérations dues"),
    ("431", "Sécurité sociale"),
    ("441", "État, impôt sur les bénéfices"),
    ("447", "État, impôts retenus à la source"),
    ("4611", "Associés, apports en nature"),
    ("4612", "Associés, apports en numéraire"),
    ("4613", "Associés, capital souscrit appelé non versé"),
    ("4614", "Associés, capital appelé non versé"),
    ("4615", "Associés, versements reçus sur augmentation de capital"),
    ("4616", "Associés, versements anticipés"),
    ("4617", "Associés défaillants"),
    ("4618", "Associés, autres apports"),
    ("4619", "Associés, capital à rembourser"),
    ("4621", "Comptes courants des membres"),
    ("465", "Associés, ristournes et intérêts aux parts à payer"),
    ("471", "Débiteurs et créditeurs divers"),
    # Class 5: cash
    ("521", "Banques"),
    ("552", "Monnaie électronique (mobile money)"),
    ("5711", "Caisse"),
    ("585", "Virements de fonds"),
    # Class 6: expenses
    ("6011", "Achats de marchandises"),
    ("6021", "Achats de matières premières"),
    ("6031", "Variation des stocks de marchandises"),
    ("6032", "Variation des stocks de matières premières"),
    ("6047", "Fournitures consommables et emballages"),
    ("6051", "Fournitures non stockables : eau"),
    ("6052", "Fournitures non stockables : électricité et énergie"),
    ("6055", "Fournitures de bureau"),
    ("6181", "Transports"),
    ("6222", "Locations de bâtiments"),
    ("6241", "Entretien et réparations"),
    ("625", "Primes d'assurance"),
    ("627", "Publicité, publications, relations publiques"),
    ("628", "Frais de télécommunications"),
    ("631", "Frais bancaires"),
    ("632", "Rémunérations d'intermédiaires et de conseils"),
    ("633", "Frais de formation"),
    ("641", "Impôts et taxes directs"),
    ("658", "Charges diverses"),
    ("661", "Rémunérations directes versées au personnel"),
    ("664", "Charges sociales"),
    ("6712", "Intérêts des emprunts"),
    ("681", "Dotations aux amortissements d'exploitation"),
    ("811", "Valeurs comptables des cessions d'immobilisations"),
    ("891", "Impôts sur les bénéfices de l'exercice"),
    # Class 7: income
    ("7011", "Ventes de marchandises"),
    ("7021", "Ventes de produits finis"),
    ("7061", "Services vendus"),
    ("707", "Produits accessoires"),
    ("718", "Subventions d'exploitation"),
    ("7581", "Cotisations et droits d'adhésion des membres"),
    ("7588", "Autres produits divers"),
    ("771", "Intérêts de prêts et créances"),
    ("821", "Produits des cessions d'immobilisations"),
]


def seed(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    for code, label in CHART:
        Account.objects.update_or_create(
            code=code, defaults={"label": label, "account_class": int(code[0])}
        )


def unseed(apps, schema_editor):
    Account = apps.get_model("ledger", "Account")
    Account.objects.filter(code__in=[c for c, _ in CHART], lines__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_books")]

    operations = [migrations.RunPython(seed, unseed)]
