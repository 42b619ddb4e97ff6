"""``manage.py import_registry <kind> <file> --user <username> [--dry-run]``."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from accounts.models import User
from registry.imports import KINDS, run_import


class Command(BaseCommand):
    help = "Importe un fichier CSV ou XLSX de coopératives, personnes ou adhésions."

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("file")
        parser.add_argument("--user", required=True, help="compte au nom duquel importer")
        parser.add_argument("--dry-run", action="store_true", help="simuler sans rien écrire")

    def handle(self, *args, kind, file, user, dry_run, **options):
        try:
            actor = User.objects.get(username=user)
        except User.DoesNotExist:
            raise CommandError(f"Utilisateur inconnu : {user}") from None
        report = run_import(kind, file, actor=actor, dry_run=dry_run)
        for error in report.errors:
            self.stdout.write(f"ligne {error.row}, colonne {error.column or '-'} : {error.message}")
        self.stdout.write(report.summary())
        if report.errors:
            raise CommandError(_("Import refusé : aucune ligne n'a été enregistrée."))
