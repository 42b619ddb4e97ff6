from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: backup and restore of the whole database (docs/backup.md)."""

    name = "ops"
    verbose_name = "Exploitation"
