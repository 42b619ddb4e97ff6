"""Where an announcement may lead (no open redirect, no script): a page of the portal
(a path starting with one "/") or an https address. Everything else is refused:
``javascript:``, ``data:``, ``http:``, ``//host`` (a path that is really another site),
backslashes, spaces and control characters."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from sponsoring.errors import Code

MAX_LENGTH = 300


def clean_link(value) -> str:
    link = str(value or "").strip()
    if not link:
        raise ValidationFailed(_("Ce champ est obligatoire."), code=Code.REQUIRED, field="link")
    if len(link) <= MAX_LENGTH and is_safe_link(link):
        return link
    raise ValidationFailed(
        _(
            "Lien refusé : une page du portail (commençant par /) ou une adresse https://, "
            "%(n)s caractères au plus."
        )
        % {"n": MAX_LENGTH},
        code=Code.UNSAFE_LINK,
        field="link",
    )


def is_safe_link(link: str) -> bool:
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 or c == "\\" for c in link):
        return False
    if link.startswith("/"):
        return not link.startswith("//")
    try:
        parts = urlsplit(link)
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.hostname) and not parts.username
