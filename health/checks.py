"""System checks of the health app: the member cards' keys parse (ADR 0015)."""

from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


@register()
def card_keys_check(app_configs, **kwargs):
    """``HEALTH_CARD_SIGNING_KEY`` and ``HEALTH_CARD_PREVIOUS_PUBLIC_KEYS`` are keys."""
    from health.card_keys import card_keys

    try:
        card_keys()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="health.E001")]
    return []
