from django.apps import AppConfig


class CapitalConfig(AppConfig):
    name = "capital"
    verbose_name = "Capital social"
