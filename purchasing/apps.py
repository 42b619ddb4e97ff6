from django.apps import AppConfig


class PurchasingConfig(AppConfig):
    name = "purchasing"
    verbose_name = "Centrale d'achat"

    def ready(self):
        from payments import purposes
        from purchasing.payment_purposes import InvoicePurpose

        purposes.register(InvoicePurpose.code, InvoicePurpose())
