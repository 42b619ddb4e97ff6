from django import template

from core.money import format_percent, format_xof

register = template.Library()


@register.filter
def xof(value):
    """``{{ amount|xof }}`` -> ``1 250 000 F CFA``."""
    return format_xof(value)


@register.filter
def number(value):
    """``{{ n|number }}`` -> ``1 250 000``."""
    return format_xof(value, currency=False)


@register.filter
def percent(value, digits=1):
    return format_percent(value, int(digits))
