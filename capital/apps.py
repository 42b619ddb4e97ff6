from django.apps import AppConfig


class CapitalConfig(AppConfig):
    name = "capital"
    verbose_name = "Capital social"

    def ready(self):
        from capital.services import shares_merge_person
        from registry.merge_hooks import register_person_merge_hook

        register_person_merge_hook("capital", move=shares_merge_person)

        from capital.payment_purposes import SharePaymentPurpose
        from payments import purposes

        purposes.register(SharePaymentPurpose.code, SharePaymentPurpose())
