from django.apps import AppConfig


class ConsultingConfig(AppConfig):
    name = "consulting"
    verbose_name = "Appui-conseil du réseau ESS"

    def ready(self):
        from consulting import hooks

        hooks.register_all()
