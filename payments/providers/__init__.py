"""Providers behind one interface, chosen by settings.PAYMENT_PROVIDERS (code -> class)."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from payments.errors import Code
from payments.providers.base import PaymentProvider


def provider_codes() -> list[str]:
    return list(getattr(settings, "PAYMENT_PROVIDERS", {}))


def get_provider(code: str) -> PaymentProvider:
    path = getattr(settings, "PAYMENT_PROVIDERS", {}).get(code)
    if not path:
        raise ValidationFailed(
            _("Opérateur de paiement inconnu."), code=Code.UNKNOWN_PROVIDER, field="provider"
        )
    return import_string(path)()
