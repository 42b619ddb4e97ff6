from django.apps import AppConfig


class NetworkConfig(AppConfig):
    name = "network"
    verbose_name = "Réseau africain de l'ESS"

    def ready(self):
        from network import hooks

        hooks.register_all()
