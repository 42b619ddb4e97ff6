from django.apps import AppConfig


class NetworkGovConfig(AppConfig):
    name = "networkgov"
    verbose_name = "Gouvernance du réseau"

    def ready(self):
        from networkgov.hooks import register_all

        register_all()
