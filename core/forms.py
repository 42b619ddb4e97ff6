"""Forms helpers shared by every app: domain errors raised by services turned into form
errors, and the date fields that apply the one date rule (``core/dates.py``)."""

from __future__ import annotations

import contextlib

from django import forms
from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _

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


class Outcome:
    """What :func:`domain_errors_on` caught: ``error`` is ``None`` when the call succeeded
    (``bool(outcome)`` is then true)."""

    error: DomainError | None = None

    def __bool__(self) -> bool:
        return self.error is None


@contextlib.contextmanager
def domain_errors_on(
    target, *, fields: dict[str, str] | None = None, missing_is_input: bool = False
):
    """THE idiom of views for a service call (CONTRIBUTING.md, "Errors in views").

    ``NotFound`` and ``Forbidden`` propagate (the middleware shows the 404/403 page); any
    other ``DomainError`` (a rule the user can correct) is caught and shown:

    - ``target`` a form: on the field it names (:func:`apply_domain_error`, or the form's
      own ``apply_error(exc)`` when its fields are named otherwise); ``fields`` renames a
      service's field to the form's (``{"code": "area"}``);
    - ``target`` a request: as an error message (a button without a form);
    - ``target`` ``None``: only kept on the yielded :class:`Outcome` for the page to show.

    ``missing_is_input=True``: a ``NotFound`` from looking up what the user typed (a
    username, an area's code) is an input error too, shown like the others.

    After the block, ``form.errors`` (or the yielded outcome) tells whether it succeeded::

        with domain_errors_on(form):
            services.member_leave(actor=user, membership=m, left_on=day)
        if not form.errors:
            return redirect(...)

        with domain_errors_on(request) as done:
            services.attendance_remove(actor=user, attendance=line)
        if done:
            messages.success(request, _("Ligne retirée."))
    """
    outcome = Outcome()
    try:
        yield outcome
    except Forbidden:
        raise
    except DomainError as exc:
        if isinstance(exc, NotFound) and not missing_is_input:
            raise
        if fields and exc.field in fields:
            exc.field = fields[exc.field]
        outcome.error = exc
        if isinstance(target, forms.BaseForm):
            if hasattr(target, "apply_error"):
                target.apply_error(exc)
            else:
                apply_domain_error(target, exc)
        elif isinstance(target, HttpRequest):
            messages.error(target, str(exc.message))


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


class NoNul:
    """A form mixin: a NUL byte in any text field is refused on that field (PostgreSQL
    cannot store it; issue 10's hostile input)."""

    def clean(self):
        data = super().clean()
        for name, value in (data or {}).items():
            if isinstance(value, str) and "\x00" in value:
                self.add_error(name, _("Caractère interdit."))
        return data
