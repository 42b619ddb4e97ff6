"""Every write of the registry, one module per entity: :mod:`.cooperatives`,
:mod:`.persons`, :mod:`.memberships` (including the bulk path of the imports),
:mod:`.jobs`, :mod:`.reference` (sectors, partners); the checks they share in
:mod:`.checks`, the input cleaners in :mod:`registry.cleaners`.

Each function is keyword-only, atomic (``@service``), takes the acting user, checks
permission (:mod:`registry.rules`: ``NotFound`` when the object is outside the actor's
scope, ``Forbidden`` when the role may not write) and the law (:mod:`registry.ohada`:
``Conflict``), and writes nothing when a check fails.

Foreign keys may be given as objects or as their natural key: ``commune`` as an area
code, ``sector`` as a sector code, ``sponsor`` as a partner name (imports and the API use
codes, the HTML forms use objects). Callers import the services from here.
"""

from registry.cleaners import normalize_national_id, normalize_phone
from registry.services.cooperatives import (
    cooperative_register,
    cooperative_stage_change,
    cooperative_update,
)
from registry.services.jobs import employment_end, employment_record
from registry.services.memberships import (
    check_admission,
    check_office_counts,
    member_admit,
    member_leave,
    member_role_change,
    members_admit_bulk,
    office_tally,
)
from registry.services.persons import (
    duplicate_dismiss,
    identity_key,
    person_create,
    person_merge,
    person_update,
)
from registry.services.reference import partner_create, sector_create, sector_update

__all__ = [
    "check_admission",
    "check_office_counts",
    "cooperative_register",
    "cooperative_stage_change",
    "cooperative_update",
    "duplicate_dismiss",
    "employment_end",
    "employment_record",
    "identity_key",
    "member_admit",
    "member_leave",
    "member_role_change",
    "members_admit_bulk",
    "normalize_national_id",
    "normalize_phone",
    "office_tally",
    "partner_create",
    "person_create",
    "person_merge",
    "person_update",
    "sector_create",
    "sector_update",
]
