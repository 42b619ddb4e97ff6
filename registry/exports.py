"""Rows for exporting any filtered registry list (core.export writes XLSX and CSV).

Each function takes the same ``actor`` and ``filters`` as the matching selector and
returns ``(headers, rows)``; the UI passes them to ``core.export.xlsx_response`` or
``csv_response``. The headers are French and the columns are those the imports read back
(codes for commune, sector, legal form...), so an exported file re-imports as is and
creates nothing new; read-only columns (region, stage, member count...) are ignored on
import.
"""

from __future__ import annotations

from collections.abc import Iterator

from registry.selectors import cooperative_list, cooperative_members, membership_list, person_list

COOPERATIVE_HEADERS = [
    "Identifiant",
    "Nom",
    "Forme juridique",
    "Numéro RSC",
    "Région",
    "Département",
    "Commune",
    "Nom de la commune",
    "Secteur",
    "Maillon",
    "Étape",
    "Date de l'étape",
    "Date de création",
    "Membres actifs",
    "Téléphone",
    "E-mail",
    "Adresse",
    "Latitude",
    "Longitude",
]

PERSON_HEADERS = [
    "Identifiant",
    "Prénom",
    "Nom",
    "Sexe",
    "Date de naissance",
    "Téléphone",
    "Numéro de CNI",
    "Commune",
    "Nom de la commune",
    "Handicap",
    "Niveau d'instruction",
]

MEMBER_HEADERS = [
    "Coopérative",
    "Nom de la coopérative",
    "Numéro de CNI",
    "Téléphone",
    "Prénom",
    "Nom",
    "Rôle",
    "Statut",
    "Date d'adhésion",
    "Date de sortie",
]


def _code(area):
    return area.code if area else ""


def cooperative_export(*, actor, filters: dict | None = None) -> tuple[list[str], Iterator]:
    qs = cooperative_list(actor=actor, filters=filters)

    def rows():
        for c in qs:
            department = c.commune.parent
            region = department.parent if department else None
            yield [
                c.pk,
                c.name,
                c.legal_form,
                c.registration_number or "",
                _code(region),
                _code(department),
                c.commune.code,
                c.commune.name,
                c.sector.code,
                c.value_chain_stage,
                c.stage,
                c.stage_changed_on,
                c.founded_on,
                c.member_count,
                c.phone,
                c.email,
                c.address,
                c.latitude,
                c.longitude,
            ]

    return COOPERATIVE_HEADERS, rows()


def person_export(*, actor, filters: dict | None = None) -> tuple[list[str], Iterator]:
    qs = person_list(actor=actor, filters=filters).order_by("last_name", "first_name", "id")

    def rows():
        for p in qs:
            yield [
                p.pk,
                p.first_name,
                p.last_name,
                p.sex,
                p.birth_date,
                p.phone,
                p.national_id or "",
                _code(p.commune),
                p.commune.name if p.commune else "",
                p.disability,
                p.education_level,
            ]

    return PERSON_HEADERS, rows()


def member_export(*, actor, cooperative=None) -> tuple[list[str], Iterator]:
    """Memberships of one cooperative, or of every cooperative the actor may see."""
    if cooperative is not None:
        qs = cooperative_members(actor=actor, cooperative=cooperative).select_related("cooperative")
    else:
        qs = membership_list(actor=actor).order_by("cooperative__name", "cooperative_id", "id")

    def rows():
        for m in qs:
            yield [
                m.cooperative.registration_number or m.cooperative_id,
                m.cooperative.name,
                m.person.national_id or "",
                m.person.phone,
                m.person.first_name,
                m.person.last_name,
                m.role,
                m.status,
                m.joined_on,
                m.left_on,
            ]

    return MEMBER_HEADERS, rows()
