"""What network registers with the lower apps (called from NetworkConfig.ready)."""


def register_all() -> None:
    from network.payment_purposes import PledgePurpose
    from network.rules import can_request_network_payout
    from payments import purposes
    from payments.rules import register_payout_requester

    purposes.register(PledgePurpose.code, PledgePurpose())
    register_payout_requester("network", can_request_network_payout)
