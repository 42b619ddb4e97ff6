import pathlib

from django.apps import AppConfig, apps
from django.conf import settings


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "Noyau"


def project_app_configs() -> list[AppConfig]:
    """The project's own apps (those at the top of the repository), not Django's or a
    library's: what the house tests and the tenancy report look at."""
    base = pathlib.Path(settings.BASE_DIR).resolve()
    return [c for c in apps.get_app_configs() if pathlib.Path(c.path).resolve().parent == base]
