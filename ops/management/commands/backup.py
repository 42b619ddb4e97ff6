"""``manage.py backup``: a consistent copy of the whole database and its manifest."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, Target, backup_make, default_path


class Command(BaseCommand):
    help = "Sauvegarde toute la base (PostgreSQL : pg_dump -Fc ; SQLite : API de sauvegarde)."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Fichier de sauvegarde (par défaut var/backups/).")

    def handle(self, *args, **options):
        target = Target.from_settings()
        directory = Path(settings.VAR_DIR) / "backups"
        path = Path(options["output"]) if options["output"] else default_path(target, directory)
        try:
            manifest = backup_make(target=target, path=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["tables"].values())
        self.stdout.write(
            f"Sauvegarde : {path} ({manifest['bytes']:,} octets, "
            f"{len(manifest['tables'])} tables, {rows:,} lignes ; manifeste à côté)"
        )
