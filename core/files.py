"""Uploaded files, checked once for every app (docs/geo-and-files.md): a file is taken
only up to its size limit and recognised by its first bytes, never by the name or the
content type the sender gave. Each app names the kinds it accepts and its limit:

    clean = clean_upload(upload, kinds=DOCUMENTS, max_bytes=settings.X_MAX_BYTES)

and stores ``clean.data`` (the checked bytes) under ``clean.filename`` (made safe)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from core.errors import Code, ValidationFailed

ZIP = b"PK\x03\x04"  # OpenDocument and Office Open XML files are zip archives

# extension -> (content type, first bytes)
KINDS = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".odt": ("application/vnd.oasis.opendocument.text", ZIP),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", ZIP),
    ".docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ZIP),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ZIP),
    ".png": ("image/png", b"\x89PNG\r\n\x1a\n"),
    ".jpg": ("image/jpeg", b"\xff\xd8\xff"),
    ".jpeg": ("image/jpeg", b"\xff\xd8\xff"),
}
DOCUMENTS = (".pdf", ".odt", ".ods", ".docx", ".xlsx")
IMAGES = (".png", ".jpg", ".jpeg")


@dataclass(frozen=True)
class CleanFile:
    filename: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


def _too_large(max_bytes: int, field: str) -> ValidationFailed:
    if max_bytes >= 1024 * 1024:
        size = _("%(n)s Mo") % {"n": max_bytes // (1024 * 1024)}
    else:
        size = _("%(n)s Ko") % {"n": max_bytes // 1024}
    return ValidationFailed(
        _("Fichier trop volumineux (au plus %(size)s).") % {"size": size},
        code=Code.TOO_LARGE,
        field=field,
    )


def clean_upload(upload, *, kinds, max_bytes: int, field: str = "file") -> CleanFile:
    """Read an uploaded file (Django's ``UploadedFile``) within the limit and check it."""
    if upload is None:
        raise ValidationFailed(_("Choisissez un fichier."), code=Code.REQUIRED, field=field)
    if (upload.size or 0) > max_bytes:
        raise _too_large(max_bytes, field)
    data = upload.read(max_bytes + 1)
    return clean_bytes(upload.name or "", data, kinds=kinds, max_bytes=max_bytes, field=field)


def clean_bytes(name: str, data: bytes, *, kinds, max_bytes: int, field: str = "file") -> CleanFile:
    """Check bytes said to be the file ``name``: within the limit, of an accepted kind,
    and starting as that kind starts."""
    if len(data) > max_bytes:
        raise _too_large(max_bytes, field)
    stem, dot, ext = str(name).rpartition(".")
    ext = f".{ext.lower()}" if dot else ""
    if ext not in kinds or not data.startswith(KINDS[ext][1]):
        accepted = ", ".join(sorted({k.lstrip(".").upper() for k in kinds} - {"JPEG"}))
        raise ValidationFailed(
            _("Format refusé ; accepté : %(kinds)s.") % {"kinds": accepted},
            code=Code.INVALID_FILE,
            field=field,
        )
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:80] or "document"
    return CleanFile(filename=f"{safe}{ext}", content_type=KINDS[ext][0], data=bytes(data))
