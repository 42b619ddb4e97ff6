from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Formations et événements du réseau"

    def ready(self):
        from events.payment_purposes import (
            EventFeePurpose,
            EventPayoutPurpose,
            EventRefundPurpose,
        )
        from payments import purposes

        purposes.register(EventFeePurpose.code, EventFeePurpose())
        purposes.register_payout(EventPayoutPurpose.code, EventPayoutPurpose())
        purposes.register_payout(EventRefundPurpose.code, EventRefundPurpose())
