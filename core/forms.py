"""Turning domain errors raised by services into Django form errors, for the HTML views."""

from __future__ import annotations

import contextlib

from django import forms

from core.errors import DomainError, Forbidden, NotFound


def apply_domain_error(form: forms.BaseForm, exc: DomainError) -> None:
    """Attach ``exc`` to ``form``: on the field it names when the form has that field,
    else as a non-field error. The form then re-renders with everything the user typed.

    Only the errors a user can correct belong on a form; callers let ``NotFound`` and
    ``Forbidden`` propagate (404/403 pages) unless the form is the right place for them.
    """
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, forms.ValidationError(str(exc.message), code=exc.code))


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
