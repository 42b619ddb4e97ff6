"""A person's photo for the member cards: checked, then re-encoded (docs/health.md, "Photos").

The upload goes through ``core.files.clean_upload`` (size limit
``settings.HEALTH_PHOTO_MAX_BYTES``, PNG or JPEG by their first bytes, never SVG), then
Pillow must decode it as that same type, within ``MAX_PIXELS`` (a decompression bomb is
refused before it is decoded). What is kept is a new JPEG at most ``PersonPhoto.MAX_SIDE``
pixels a side, turned upright, without the sender's metadata (EXIF: place, device).
"""

from __future__ import annotations

import base64
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from core import files
from core.errors import ValidationFailed
from health.errors import Code
from health.models import PersonPhoto

MAX_PIXELS = 40_000_000  # a 6,000 × 6,000 picture from a phone; more is not a photo
PIL_FORMATS = {"image/png": "PNG", "image/jpeg": "JPEG"}


@dataclass(frozen=True)
class CleanPhoto:
    data: bytes
    width: int
    height: int


def _refused() -> ValidationFailed:
    return ValidationFailed(
        _("Photo illisible : envoyez une image PNG ou JPEG."),
        code=Code.INVALID_PHOTO,
        field="photo",
    )


def photo_clean(upload) -> CleanPhoto:
    """The uploaded photo checked and re-encoded; 400 ``too_large`` / ``invalid_file`` /
    ``invalid_photo`` otherwise."""
    from PIL import Image, ImageOps

    clean = files.clean_upload(
        upload, kinds=files.IMAGES, max_bytes=settings.HEALTH_PHOTO_MAX_BYTES, field="photo"
    )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(clean.data))
            if image.format != PIL_FORMATS[clean.content_type]:
                raise _refused()
            if image.width * image.height > MAX_PIXELS:
                raise _refused()
            image.load()
            image = ImageOps.exif_transpose(image).convert("RGB")
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError, Warning):
        raise _refused() from None
    image.thumbnail((PersonPhoto.MAX_SIDE, PersonPhoto.MAX_SIDE))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85, optimize=True)
    return CleanPhoto(data=out.getvalue(), width=image.width, height=image.height)


def photo_data_uri(photo: PersonPhoto | None) -> str:
    """The photo as a ``data:`` URI (the card PDF and the household page: no file URL)."""
    if photo is None:
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(bytes(photo.data)).decode("ascii")
