"""Reference data of the registry: sectors and partners (national role)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from core.errors import Conflict, ValidationFailed
from core.services import service
from core.text import fold
from registry import cleaners as clean
from registry import rules as perms
from registry.errors import Code
from registry.models import Partner, Sector
from registry.services.checks import require


@service(texts=(Sector,))
def sector_create(*, actor, code: str, name: str, active: bool = True) -> Sector:
    require(perms.can_manage_sectors.test(actor))
    code = fold(clean.required_text(code, "code", _("Le code"), 40)).replace(" ", "-")
    name = clean.required_text(name, "name", _("Le nom"), 120)
    if Sector.objects.filter(code=code).exists():
        raise Conflict(
            _("Le secteur %(code)s existe déjà.") % {"code": code},
            code=Code.DUPLICATE_SECTOR,
            field="code",
        )
    return Sector.objects.create(code=code, name=name, active=active)


@service(texts=(Sector,))
def sector_update(*, actor, sector: Sector, **fields) -> Sector:
    require(perms.can_manage_sectors.test(actor))
    unknown = set(fields) - {"name", "active"}
    if unknown:
        field = sorted(unknown)[0]
        raise ValidationFailed(
            _("Champ non modifiable : %(field)s.") % {"field": field},
            code=Code.NOT_EDITABLE,
            field=field,
        )
    if "name" in fields:
        sector.name = clean.required_text(fields["name"], "name", _("Le nom"), 120)
    if "active" in fields:
        sector.active = bool(fields["active"])
    sector.save()
    return sector


@service(texts=(Partner,))
def partner_create(*, actor, name: str, kind: str = "") -> Partner:
    """A sponsoring company or institution (national role)."""
    require(perms.can_manage_sectors.test(actor))
    name = clean.required_text(name, "name", _("Le nom"), 160)
    if Partner.objects.filter(name=name).exists():
        raise Conflict(
            _("Le partenaire %(name)s existe déjà.") % {"name": name},
            code=Code.DUPLICATE_PARTNER,
            field="name",
        )
    return Partner.objects.create(name=name, kind=clean.short_text(kind, 40))
