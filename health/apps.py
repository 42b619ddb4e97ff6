from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "health"
    verbose_name = "Mutuelles de santé"

    def ready(self):
        from health import hooks

        hooks.register_all()
