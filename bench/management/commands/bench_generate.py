from django.core.management.base import BaseCommand, CommandError

from bench.scales import SCALES
from bench.synthetic import generate
from registry.models import Cooperative


class Command(BaseCommand):
    help = "Génère des données synthétiques déterministes pour le banc de mesure."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=42)

    def handle(self, *args, scale, seed, **options):
        if Cooperative.objects.exists():
            raise CommandError("La base n'est pas vide : le banc génère dans une base dédiée.")
        self.stdout.write(f"Génération « {scale} » (graine {seed})…")
        counts = generate(SCALES[scale], seed=seed, log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Terminé : {counts}"))
