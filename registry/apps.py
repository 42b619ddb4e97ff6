from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "Registre"

    def ready(self):
        from registry.corrections import corrections_merge_person
        from registry.merge_hooks import register_person_merge_hook

        # A merged person's correction requests follow them to the kept record.
        register_person_merge_hook("registry_corrections", move=corrections_merge_person)
