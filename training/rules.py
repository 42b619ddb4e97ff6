"""Who may do what in training and follow-up (checked by the services, shown by the views)."""

from __future__ import annotations

import rules
from django.utils.translation import gettext as _

from accounts.scoping import scope_for
from core.errors import Forbidden


def is_national(actor) -> bool:
    return scope_for(actor).national


def is_staff(actor) -> bool:
    """The roles that organise training and visit cooperatives: national and field agents."""
    scope = scope_for(actor)
    return scope.national or bool(scope.area_paths)


def covers_area(actor, area) -> bool:
    """The actor is national, or an agent whose area contains ``area``."""
    scope = scope_for(actor)
    if scope.national:
        return True
    return scope.covers(area)


def require_organiser(actor) -> None:
    """403 for the roles that do not organise training (before any lookup, so that a
    refused request answers 403 rather than the 404 of a trainer it cannot see)."""
    if not is_staff(actor):
        raise Forbidden(_("Votre rôle ne permet pas d'organiser des formations."))


@rules.predicate
def may_edit_catalogue(user):
    return is_national(user)


@rules.predicate
def may_organise_training(user):
    return is_staff(user)


rules.set_perm("training.edit_catalogue", may_edit_catalogue)
rules.set_perm("training.organise", may_organise_training)
