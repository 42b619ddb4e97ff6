"""``manage.py restore FILE``: replace a database with a backup, then prove it."""

import json
from pathlib import Path

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connections
from django.utils.translation import gettext as _

from ops.backup import (
    MANIFEST_SUFFIX,
    BackupError,
    Target,
    manifest_compare,
    manifest_of_target,
    restore_into,
)


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde dans la base configurée (ou --database-url), puis compare "
        "le nombre de lignes de chaque table et les totaux des livres avec son manifeste."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier fait par « manage.py backup ».")
        parser.add_argument("--database-url", help="Base cible (par défaut DATABASE_URL).")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Ne pas demander confirmation (la base est remplacée).",
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        url = options["database_url"]
        target = Target.from_settings_dict(
            dj_database_url.parse(url) if url else settings.DATABASES["default"]
        )
        if not options["yes"]:
            try:
                answer = input(
                    f"La base « {target.name} » sera remplacée. Taper OUI pour continuer : "
                )
            except EOFError:  # no terminal (cron, a pipe): never replace without a yes
                raise CommandError(
                    _("Restauration annulée : pas de réponse (--yes pour ne pas demander).")
                ) from None
            if answer.strip() != "OUI":
                raise CommandError(_("Restauration annulée."))
        if not url:
            connections["default"].close()
        try:
            restore_into(path=path, target=target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        manifest_path = Path(str(path) + MANIFEST_SUFFIX)
        if not manifest_path.is_file():
            self.stdout.write(f"Restaurée depuis {path} (pas de manifeste : rien à comparer).")
            return
        problems = manifest_compare(
            json.loads(manifest_path.read_text()), manifest_of_target(target)
        )
        if problems:
            raise CommandError(_("Restauration incomplète :\n") + "\n".join(problems))
        self.stdout.write(
            f"Restaurée depuis {path} : chaque table et les totaux des livres égalent le manifeste."
        )
