"""What networkgov registers with the lower apps (called from NetworkGovConfig.ready)."""


def register_all() -> None:
    from django.utils.translation import gettext_lazy as _

    from messaging.kinds import register_kind
    from networkgov.payment_purposes import DuesPurpose
    from payments import purposes

    purposes.register(DuesPurpose.code, DuesPurpose())
    register_kind(
        "network_dues_reminder",
        label=_("Rappel de cotisation au réseau"),
        placeholders={"name", "year", "amount", "due_on"},
        default_fr=(
            "Réseau ESS : la cotisation {year} de {name} ({amount}) est à payer avant le "
            "{due_on}. Payez par téléphone sur SunuCoop."
        ),
        example={"name": "GIE Jappo", "year": "2026", "amount": "25 000 F", "due_on": "31/03/2026"},
    )
