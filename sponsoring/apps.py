from django.apps import AppConfig


class SponsoringConfig(AppConfig):
    name = "sponsoring"
    verbose_name = "Annonces sponsorisées du réseau"

    def ready(self):
        from sponsoring.hooks import register_all

        register_all()
