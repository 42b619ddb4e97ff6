"""Every write of the value chain (keyword-only, ``@service``): one module per part,
re-exported here. ``chain``: filières, the boutique source, sites, lots, stock,
production, the shop; ``technology``: the boutique technologique."""

from valuechain.services.chain import (  # noqa: F401
    GRID,
    MASS,
    MAX_LINES,
    MAX_QUANTITY,
    SALE_CHANNELS,
    WEIGHTS,
    choice_check,
    lot_open,
    lots_from_delivery,
    opportunity_decide,
    opportunity_propose,
    opportunity_score,
    partner_staff_add,
    production_run_record,
    quantity_check,
    sale_mobile_money_confirm,
    sale_record,
    settlement_make,
    site_create,
    stock_count,
    stock_loss,
    stock_transfer,
    till_close,
    till_day,
    value_chain_cooperative_add,
    value_chain_create,
    value_chain_partner_add,
)
from valuechain.services.outright import purchase_invoice_pay  # noqa: F401
from valuechain.services.settlement_payouts import (  # noqa: F401
    settlement_payout_approve,
    settlement_payout_settled,
    settlement_payout_start,
)
from valuechain.services.technology import (  # noqa: F401
    equipment_add,
    equipment_book,
    equipment_booking_cancel,
    equipment_use_record,
    hours_check,
    innovation_project_conclude,
    innovation_project_create,
    project_trial_record,
)
