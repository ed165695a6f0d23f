"""Hostile uploads: wrong type, truncated, image bombs, SVG with script, zip bombs and 50 MB bodies are
refused with a message that says why, never a 500 (photos, signatures, imports, any request body)."""

import struct
import zipfile
import zlib
from io import BytesIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from customers.importing import reading
from customers.importing.kinds import columns_of
from repair_orders.services import clean_photo
from repair_orders.services.common import signature_file
from servicedesk.core.errors import ApplicationError

pytestmark = pytest.mark.django_db
FIFTY_MB = 50 * 1024 * 1024


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width`×`height` pixels: decoding it would take gigabytes."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + \
        chunk(b"IEND", b"")


def jpeg(size=(64, 48)) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="JPEG")
    return out.getvalue()


HOSTILE_IMAGES = {
    "bomb_50000": png_declaring(50_000, 50_000),
    "bomb_12000": png_declaring(12_000, 12_000),  # under Pillow's own error limit: it would only warn
    "truncated_jpeg": jpeg()[:200],
    "svg_script": b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
    "pdf": b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF",
    "exe": b"MZ\x90\x00" + b"\x00" * 200,
    "empty": b"",
    "nul": b"\x00" * 1000,
}


@pytest.mark.parametrize("kind", sorted(HOSTILE_IMAGES))
def test_a_hostile_photo_is_refused_clearly(kind):
    with pytest.raises(ApplicationError) as refused:
        clean_photo(SimpleUploadedFile(f"{kind}.jpg", HOSTILE_IMAGES[kind], content_type="image/jpeg"))
    assert refused.value.field == "photo" and str(refused.value.message)


@pytest.mark.parametrize("kind", sorted(HOSTILE_IMAGES))
def test_a_hostile_signature_is_refused_clearly(kind):
    with pytest.raises(ApplicationError) as refused:
        signature_file(HOSTILE_IMAGES[kind])
    assert refused.value.field == "signature" and str(refused.value.message)


def test_a_huge_photo_is_refused_before_it_is_read():
    upload = SimpleUploadedFile("huge.jpg", b"\xff\xd8" + b"\x00" * FIFTY_MB, content_type="image/jpeg")
    with pytest.raises(ApplicationError) as refused:
        clean_photo(upload)
    assert refused.value.code == "too_large"


def test_a_real_photo_still_passes():
    assert clean_photo(SimpleUploadedFile("ok.jpg", jpeg(), content_type="image/jpeg")).width == 64


def zip_bomb_xlsx() -> bytes:
    """A valid-looking workbook whose sheet inflates to 300 MB of zeros (a few hundred KB packed)."""
    out = BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b"0" * (1024 * 1024)
            for _ in range(300):
                sheet.write(block)
    return out.getvalue()


@pytest.mark.parametrize("name, content, says", [
    ("bomb.xlsx", zip_bomb_xlsx(), "unpacks"),
    ("fake.xlsx", b"not a zip at all", "not a readable"),
    ("huge.csv", b"a" * (FIFTY_MB + 1), "MB"),
    ("script.svg", HOSTILE_IMAGES["svg_script"], ".csv"),
    ("empty.csv", b"", "empty"),
])
def test_a_hostile_import_file_is_refused_clearly(name, content, says, english):
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(reading.FileRefused) as refused:
        fmt = reading.check_upload(upload)
        reading.ImportFile(ContentFile(content, name=name), fmt, columns_of("customers")).scan()
    assert says in str(refused.value)


def test_a_50_mb_form_post_gets_a_clear_413_page(manager_client, english):
    response = manager_client.post(reverse("customers:customer_create"), {"name": "x" * FIFTY_MB})
    assert response.status_code == 413
    assert b"too large" in response.content and b"10 MB" in response.content


def test_a_50_mb_api_body_is_refused_not_a_500(manager_client, english):
    response = manager_client.post("/api/v1/customers/", data=b'{"name": "' + b"x" * FIFTY_MB + b'"}',
                                   content_type="application/json")
    assert response.status_code in (400, 413)
