from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "health"
    verbose_name = "Mutuelles de santé"

    def ready(self):
        from health import checks, hooks  # noqa: F401 (checks registers itself)

        hooks.register_all()
