"""What network registers with the lower apps (called from NetworkConfig.ready)."""


def register_all() -> None:
    from django.utils.translation import gettext_lazy as _

    from messaging.kinds import register_kind
    from network.payment_purposes import PledgePurpose
    from network.rules import can_request_network_payout
    from payments import purposes
    from payments.rules import register_payout_requester

    purposes.register(PledgePurpose.code, PledgePurpose())
    register_kind(
        "network_code",
        label=_("Code de vérification d'une organisation du réseau"),
        placeholders={"code", "name"},
        default_fr="SunuCoop : code de vérification de {name} : {code}",
        example={"code": "482913", "name": "GIE Jappo"},
    )
    register_payout_requester("network", can_request_network_payout)
