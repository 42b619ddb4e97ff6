from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UssdConfig(AppConfig):
    name = "ussd"
    verbose_name = "USSD (menu des membres)"

    def ready(self):
        from messaging.kinds import register_kind
        from registry.merge_hooks import register_person_merge_hook
        from ussd.services import pins_merge_person

        register_person_merge_hook("ussd", move=pins_merge_person)

        register_kind(
            "ussd_payment_link",
            label=_("Lien de paiement demandé par USSD"),
            placeholders={"amount", "provider", "url", "reference"},
            default_fr=(
                "SunuCoop : pour payer {amount} par {provider}, ouvrez {url} (réf. {reference})."
            ),
            example={
                "amount": "91 680 F",
                "provider": "Wave",
                "url": "https://pay.wave.com/c/cos-18qq7",
                "reference": "PAY-7K2M9Q",
            },
        )
