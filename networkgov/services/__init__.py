"""Every write of the network's governance (docs/networkgov.md), one module per entity."""

from networkgov.services.assemblies import (
    assembly_close,
    assembly_convene,
    delegate_name,
    resolution_add,
    vote_cast,
)
from networkgov.services.consultations import consultation_answer, consultation_open
from networkgov.services.membership import (
    dues_paid,
    dues_payment_start,
    dues_reminders_send,
    membership_join,
    tariff_set,
)

__all__ = [
    "assembly_close",
    "assembly_convene",
    "consultation_answer",
    "consultation_open",
    "delegate_name",
    "dues_paid",
    "dues_payment_start",
    "dues_reminders_send",
    "membership_join",
    "resolution_add",
    "tariff_set",
    "vote_cast",
]
