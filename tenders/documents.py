"""The files of the calls for tenders (terms of reference, offers): PDF or office
documents (OpenDocument, Office Open XML) up to TENDERS_FILE_MAX_BYTES, recognised by
their first bytes, never by the name the sender gave (core.files checks them)."""

from __future__ import annotations

from django.conf import settings

from core import files
from core.files import CleanFile

__all__ = ["CleanFile", "clean_bytes", "clean_upload"]


def clean_upload(upload, *, field: str = "file") -> CleanFile:
    """Read an uploaded file (Django's ``UploadedFile``) within the limit and check it."""
    return files.clean_upload(
        upload, kinds=files.DOCUMENTS, max_bytes=settings.TENDERS_FILE_MAX_BYTES, field=field
    )


def clean_bytes(name: str, data: bytes, *, field: str = "file") -> CleanFile:
    return files.clean_bytes(
        name, data, kinds=files.DOCUMENTS, max_bytes=settings.TENDERS_FILE_MAX_BYTES, field=field
    )
