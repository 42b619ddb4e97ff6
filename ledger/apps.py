from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "ledger"
    verbose_name = "Comptabilité (SYSCOHADA)"

    def ready(self):
        from ledger.services import books_merge_person
        from registry.merge_hooks import register_person_merge_hook

        register_person_merge_hook("ledger", move=books_merge_person)
