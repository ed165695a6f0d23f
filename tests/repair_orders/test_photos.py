"""Photos of findings and damage marks: type and size checked, resized, EXIF stripped, stored as JPEG."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from repair_orders.models import Photo, RepairOrderEvent
from repair_orders.services import damage_mark_add, photo_attach
from repair_orders.services.photos import MAX_PHOTO_BYTES, clean_photo
from servicedesk.core.errors import ApplicationError

from .helpers import open_ro

pytestmark = pytest.mark.django_db


def jpeg_bytes(size=(400, 300), *, fmt="JPEG", mode="RGB", exif=True) -> bytes:
    picture = Image.new(mode, size, "red" if mode == "RGB" else None)
    buffer = BytesIO()
    extra = {}
    if exif and fmt == "JPEG":
        tags = Image.Exif()
        tags[0x0110] = "Phone X"  # model
        tags[0x0112] = 6  # orientation: rotate 90° clockwise to view
        extra["exif"] = tags.tobytes()
    picture.save(buffer, format=fmt, **extra)
    return buffer.getvalue()


def opened(content: bytes) -> Image.Image:
    return Image.open(BytesIO(content))


def test_a_large_photo_is_resized_turned_upright_and_stripped_of_exif():
    cleaned = clean_photo(SimpleUploadedFile("IMG_1.jpg", jpeg_bytes((4000, 3000)), content_type="image/jpeg"))
    picture = opened(cleaned.content.read())
    assert picture.format == "JPEG"
    assert (picture.width, picture.height) == (1200, 1600) == (cleaned.width, cleaned.height)  # upright
    assert not picture.getexif()


@pytest.mark.parametrize("fmt, mode", [("PNG", "RGBA"), ("WEBP", "RGB"), ("PNG", "P")])
def test_png_and_webp_are_accepted_and_stored_as_jpeg(fmt, mode):
    cleaned = clean_photo(jpeg_bytes((200, 100), fmt=fmt, mode=mode, exif=False))
    assert opened(cleaned.content.read()).format == "JPEG" and (cleaned.width, cleaned.height) == (200, 100)


@pytest.mark.parametrize("content", [b"%PDF-1.4 not a photo", b"GIF89a" + b"\0" * 20, b""])
def test_a_file_that_is_not_an_image_is_refused(content):
    with pytest.raises(ApplicationError) as error:
        clean_photo(SimpleUploadedFile("x.jpg", content))
    assert error.value.field == "photo"


class HugeUpload:
    """A 50 MB upload that fails the test if anything reads it."""

    size = 50 * 1024 * 1024

    def read(self, *args):
        raise AssertionError("the file was read")

    def seek(self, *args):
        raise AssertionError("the file was touched")


def test_a_50_mb_upload_is_refused_before_it_is_read():
    with pytest.raises(ApplicationError) as error:
        clean_photo(HugeUpload())
    assert error.value.code == "too_large" and "10 MB" in str(error.value.message)


def test_a_file_without_a_size_is_read_no_further_than_the_cap():
    with pytest.raises(ApplicationError) as error:
        clean_photo(BytesIO(b"\xff" * (MAX_PHOTO_BYTES + 10)))
    assert error.value.code == "too_large"


def test_a_photo_of_a_damage_mark(site, advisor):
    repair_order = open_ro(site, advisor)
    mark = damage_mark_add(repair_order=repair_order, x=10, y=20, kind="scratch", actor=advisor)
    photo = photo_attach(damage_mark=mark, image=jpeg_bytes(), actor=advisor)
    assert photo.damage_mark == mark and photo.repair_order == repair_order and photo.job_line is None
    assert photo.image.name.startswith("ro_photos/") and photo.image.name.endswith(".jpg")
    assert "Phone" not in photo.image.name
    assert RepairOrderEvent.objects.filter(repair_order=repair_order, kind="photo_added").count() == 1


def test_a_refused_photo_stores_nothing(site, advisor):
    repair_order = open_ro(site, advisor)
    mark = damage_mark_add(repair_order=repair_order, x=10, y=20, kind="dent", actor=advisor)
    with pytest.raises(ApplicationError):
        photo_attach(damage_mark=mark, image=b"nope", actor=advisor)
    assert not Photo.objects.exists()
