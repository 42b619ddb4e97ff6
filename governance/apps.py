from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = "Organes et assemblées"

    def ready(self):
        from governance.services import governance_merge_person
        from registry.merge_hooks import register_person_merge_hook

        register_person_merge_hook("governance", move=governance_merge_person)
