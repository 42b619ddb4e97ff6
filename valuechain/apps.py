from django.apps import AppConfig


class ValueChainConfig(AppConfig):
    name = "valuechain"
    verbose_name = "Chaîne de valeur solidaire"

    def ready(self):
        from payments import purposes
        from valuechain.payment_purposes import SalePurpose, SettlementPayoutPurpose

        purposes.register(SalePurpose.code, SalePurpose())
        purposes.register_payout(SettlementPayoutPurpose.code, SettlementPayoutPurpose())

        from valuechain.receipts import register_message_kind

        register_message_kind()
