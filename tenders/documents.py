"""The files of the calls for tenders (terms of reference, offers): PDF or office
documents (OpenDocument, Office Open XML) up to TENDERS_FILE_MAX_BYTES, recognised by
their first bytes, never by the name the sender gave."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from core.errors import ValidationFailed
from tenders.errors import Code

TYPES = {
    ".pdf": ("application/pdf", b"%PDF-"),
    ".odt": ("application/vnd.oasis.opendocument.text", b"PK\x03\x04"),
    ".ods": ("application/vnd.oasis.opendocument.spreadsheet", b"PK\x03\x04"),
    ".docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        b"PK\x03\x04",
    ),
    ".xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b"PK\x03\x04"),
}


@dataclass(frozen=True)
class CleanFile:
    filename: str
    content_type: str
    data: bytes

    @property
    def size(self) -> int:
        return len(self.data)


def clean_upload(upload, *, field: str = "file") -> CleanFile:
    """Read an uploaded file (Django's ``UploadedFile``) within the limit and check it."""
    limit = settings.TENDERS_FILE_MAX_BYTES
    if upload is None:
        raise ValidationFailed(_("Choisissez un fichier."), code=Code.REQUIRED, field=field)
    if (upload.size or 0) > limit:
        raise ValidationFailed(
            _("Fichier trop volumineux (au plus %(n)s Mo).") % {"n": limit // (1024 * 1024)},
            code=Code.TOO_LARGE,
            field=field,
        )
    data = upload.read(limit + 1)
    return clean_bytes(upload.name or "", data, field=field)


def clean_bytes(name: str, data: bytes, *, field: str = "file") -> CleanFile:
    if len(data) > settings.TENDERS_FILE_MAX_BYTES:
        raise ValidationFailed(_("Fichier trop volumineux."), code=Code.TOO_LARGE, field=field)
    stem, dot, ext = str(name).rpartition(".")
    ext = f".{ext.lower()}" if dot else ""
    if ext not in TYPES or not data.startswith(TYPES[ext][1]):
        raise ValidationFailed(
            _("Format refusé : PDF, ODT, ODS, DOCX ou XLSX seulement."),
            code=Code.INVALID_FILE,
            field=field,
        )
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:80] or "document"
    return CleanFile(filename=f"{safe}{ext}", content_type=TYPES[ext][0], data=bytes(data))
