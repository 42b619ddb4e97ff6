from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = "Formations et événements du réseau"

    def ready(self):
        from events.payment_purposes import EventFeePurpose
        from payments import purposes

        purposes.register(EventFeePurpose.code, EventFeePurpose())
