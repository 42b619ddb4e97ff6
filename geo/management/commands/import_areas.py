"""``manage.py import_areas <file> [--kind communes|hierarchy] [--dry-run]``."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from geo.imports import IMPORTS
from geo.services import areas_import


class Command(BaseCommand):
    help = (
        "Importe des zones depuis un fichier CSV ou XLSX : des communes (colonnes code, "
        "name, department) ou une hiérarchie (colonnes code, name, level, parent). "
        "Au moindre défaut, rien n'est enregistré."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="fichier .csv ou .xlsx")
        parser.add_argument("--kind", choices=sorted(IMPORTS), default="communes")
        parser.add_argument(
            "--dry-run", action="store_true", help="tout vérifier sans rien enregistrer"
        )

    def handle(self, *args, file, kind, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        report = areas_import(source=path, kind=kind, dry_run=dry_run)
        for error in report.errors:
            where = f"ligne {error.row}" if error.row else "fichier"
            column = f", colonne « {error.column} »" if error.column else ""
            self.stderr.write(f"{where}{column} : {error.message}")
        if report.errors:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
