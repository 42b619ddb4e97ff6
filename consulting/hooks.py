"""What consulting registers with the lower apps (called from ConsultingConfig.ready)."""


def register_all() -> None:
    from consulting.payment_purposes import EngagementPurpose, RefundPayoutPurpose
    from consulting.rules import can_request_consultant_payout
    from payments import purposes
    from payments.rules import register_payout_requester

    purposes.register(EngagementPurpose.code, EngagementPurpose())
    purposes.register_payout(RefundPayoutPurpose.code, RefundPayoutPurpose())
    register_payout_requester("consulting", can_request_consultant_payout)
