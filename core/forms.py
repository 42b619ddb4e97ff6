"""Forms helpers shared by every app: domain errors raised by services turned into form
errors, and the date fields that apply the one date rule (``core/dates.py``)."""

from __future__ import annotations

import contextlib

from django import forms

from core.dates import validate_event_date, validate_planned_date
from core.errors import DomainError, Forbidden, NotFound


def apply_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Attach ``exc`` to ``form``: on the field it names when the form has that field,
    else as a non-field error. The form then re-renders with everything the user typed.

    Only the errors a user can correct belong on a form; callers let ``NotFound`` and
    ``Forbidden`` propagate (404/403 pages) unless the form is the right place for them.
    """
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, forms.ValidationError(str(exc.message), code=exc.code))


def choices_with_blank(pairs) -> list[tuple]:
    """``[(value, label)]`` -> a select's choices with an empty first line."""
    return [("", "—"), *pairs]


@contextlib.contextmanager
def domain_errors_on(form: forms.BaseForm):
    """Run a service call; errors a user can correct go on ``form``.

    ``NotFound`` and ``Forbidden`` propagate (404/403 pages); any other ``DomainError`` is
    attached with :func:`apply_domain_error`. After the block, ``form.errors`` tells
    whether the call succeeded::

        with domain_errors_on(form):
            services.member_leave(actor=user, membership=m, left_on=day)
        if not form.errors:
            return redirect(...)
    """
    try:
        yield
    except (NotFound, Forbidden):
        raise
    except DomainError as exc:
        apply_domain_error(form, exc)


# --------------------------------------------------------------------------- date fields


class DateInput(forms.DateInput):
    """An ``<input type="date">`` (its value is ISO: AAAA-MM-JJ)."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 (Django's name)
        super().__init__(attrs=attrs, format=format)


class EventDateField(forms.DateField):
    """The date of something that happened (a payment, a visit, a birth...): the one date
    rule of ``core/dates.py`` (01/01/1900 .. today) checked on the field, so the page
    shows the French message next to it (the service checks it again)."""

    widget = DateInput
    default_validators = [validate_event_date]


class PlannedDateField(forms.DateField):
    """A planned date (an assembly, a due date, a closing): 1900 .. 2100
    (``core.dates.check_planned_date``); the app's own rules apply in its service."""

    widget = DateInput
    default_validators = [validate_planned_date]
