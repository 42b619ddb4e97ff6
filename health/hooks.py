"""What health registers with the lower apps (called from HealthConfig.ready)."""


def register_all() -> None:
    from health.payment_purposes import ClaimPayoutPurpose, ContributionPurpose
    from health.reminders import register_message_kinds
    from health.services import health_merge_person
    from payments import purposes
    from registry.merge_hooks import register_person_merge_hook

    register_person_merge_hook("health", move=health_merge_person)
    purposes.register(ContributionPurpose.code, ContributionPurpose())
    purposes.register_payout(ClaimPayoutPurpose.code, ClaimPayoutPurpose())
    register_message_kinds()
