"""Photos of findings and of damage marks: checked (an image, not too large), turned upright, resized to at
most 1600 px, stripped of EXIF (location, phone model) and stored as JPEG. The image work happens before
the transaction opens: no row stays locked while Pillow decodes a 10 MB picture."""

from dataclasses import dataclass
from io import BytesIO

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from servicedesk.core.errors import ApplicationError

from ..models import DamageMark, JobLine, Photo, RepairOrder
from .common import check_editable, lock_repair_order, ro_event, save_changes

MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_SIDE = 1600
MAX_PIXELS = 64_000_000  # a 64-megapixel camera's picture; Pillow alone only warns below 179 million
JPEG_QUALITY = 85


@dataclass(frozen=True)
class CleanPhoto:
    content: ContentFile
    width: int
    height: int


def clean_photo(upload) -> CleanPhoto:
    """An uploaded file (or bytes) as a resized JPEG without metadata, or an ApplicationError that says why not.
    The size is checked before the file is read: a 50 MB upload is refused at once."""
    if upload is None:
        raise ApplicationError(_("Choose a photo."), code="required", field="photo")
    if isinstance(upload, bytes | bytearray):
        content = bytes(upload)
    else:
        size = getattr(upload, "size", None)
        if size is not None and size > MAX_PHOTO_BYTES:
            raise _too_large()
        if hasattr(upload, "seek"):
            upload.seek(0)
        content = upload.read(MAX_PHOTO_BYTES + 1)
    if len(content) > MAX_PHOTO_BYTES:
        raise _too_large()
    if not content:
        raise ApplicationError(_("The photo is empty."), field="photo")
    try:
        with Image.open(BytesIO(content)) as probe:
            probe.verify()
            if probe.width * probe.height > MAX_PIXELS:  # decoding it would take gigabytes
                raise Image.DecompressionBombError("too many pixels")
        with Image.open(BytesIO(content)) as picture:
            picture = ImageOps.exif_transpose(picture)  # upright first: the EXIF orientation goes away below
            picture = _flattened(picture)
            picture.thumbnail((MAX_SIDE, MAX_SIDE))
            out = BytesIO()
            picture.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        raise ApplicationError(_("This file is not a photo we can read; send a JPEG, PNG or WebP picture."),
                               code="not_an_image", field="photo") from None
    return CleanPhoto(content=ContentFile(out.getvalue(), name="photo.jpg"), width=picture.width,
                      height=picture.height)


def _too_large() -> ApplicationError:
    return ApplicationError(_("The photo is larger than %(mb)s MB; send a smaller one.")
                            % {"mb": MAX_PHOTO_BYTES // (1024 * 1024)}, code="too_large", field="photo")


def _flattened(picture: Image.Image) -> Image.Image:
    """RGB on white: JPEG has no transparency, and a transparent PNG would turn black."""
    if picture.mode in ("RGBA", "LA", "P", "PA"):
        rgba = picture.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return picture.convert("RGB")


def store_photos(repair_order: RepairOrder, photos: list[CleanPhoto], *, actor, job_line: JobLine | None = None,
                 damage_mark: DamageMark | None = None) -> list[Photo]:
    """Rows for photos already cleaned, inside the caller's transaction (the RO locked by the caller)."""
    stored = []
    for photo in photos:
        row = Photo(repair_order=repair_order, job_line=job_line, damage_mark=damage_mark, width=photo.width,
                    height=photo.height, uploaded_by=actor)
        row.image.save("photo.jpg", photo.content, save=False)
        row.save()
        stored.append(row)
    return stored


def photo_attach(*, image, actor, job_line: JobLine | None = None, damage_mark: DamageMark | None = None) -> Photo:
    """A photo of a job line's finding (while the RO is open) or of a damage mark (while the check-in
    sheet may change)."""
    return photos_attach(images=[image], actor=actor, job_line=job_line, damage_mark=damage_mark)[0]


def photos_attach(*, images: list, actor, job_line: JobLine | None = None,
                  damage_mark: DamageMark | None = None) -> list[Photo]:
    """Several photos at once (a tablet's multiple pick): all are checked first, so one bad file stores none."""
    if (job_line is None) == (damage_mark is None):
        raise ValueError("a photo belongs to exactly one job line or damage mark")
    cleaned = [clean_photo(image) for image in images or [None]]
    with transaction.atomic():
        owner = job_line or damage_mark
        locked = lock_repair_order(owner.repair_order_id, version=None)
        if damage_mark is not None:
            check_editable(locked)
        elif not locked.is_open:
            raise ApplicationError(_("Repair order %(number)s is closed; photos can no longer be added.")
                                   % {"number": locked.number}, code="locked")
        photos = store_photos(locked, cleaned, actor=actor, job_line=job_line, damage_mark=damage_mark)
        save_changes(locked, actor)
        for photo in photos:
            ro_event(locked, "photo_added", actor, photo=photo.pk, job=getattr(job_line, "pk", None),
                     mark=getattr(damage_mark, "pk", None))
    return photos
