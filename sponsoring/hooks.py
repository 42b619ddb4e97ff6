"""What sponsoring registers with the lower apps (called from SponsoringConfig.ready):
its payment purpose and refunds (payments), and what fills the portal's slots
(network.slots: network's pages show the live announcements without importing us)."""


def register_all() -> None:
    from network.slots import register_slot_renderer
    from payments import purposes
    from payments.rules import register_payout_requester
    from sponsoring.payment_purposes import SponsoringPurpose
    from sponsoring.rules import can_request_sponsoring_payout
    from sponsoring.slots import render_slot

    purposes.register(SponsoringPurpose.code, SponsoringPurpose())
    register_payout_requester("sponsoring", can_request_sponsoring_payout)
    register_slot_renderer(render_slot)
