"""Photos within a memory budget: refused by pixel count before decoding, one message for all."""

import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from seminars import images
from tests.security.images import image_bytes, png_header_only

ROOT = Path(__file__).resolve().parents[2]


def flat_png(width, height):
    """A valid, fully decodable RGB PNG of one colour: tiny on disk, huge when decoded."""

    def chunk(kind, data):
        import struct

        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    import struct

    compressor, parts = zlib.compressobj(9), []
    row = b"\x00" + b"\x10\x80\xf0" * width
    for _ in range(height):
        parts.append(compressor.compress(row))
    parts.append(compressor.flush())
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = b"".join(parts)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@pytest.mark.parametrize(
    ("width", "height"), [(6_500, 6_500), (9_000, 9_000), (12_000, 12_000), (40_001, 1_000)]
)
def test_image_over_the_pixel_limit_gets_the_too_many_pixels_message(width, height):
    upload = SimpleUploadedFile("big.png", png_header_only(width, height))
    with pytest.raises(ValidationError) as refused, translation.override("ja"):
        images.ImageField().clean(upload)
    assert refused.value.code == "too_many_pixels"
    assert refused.value.params == {"mpx": 40}


def test_image_within_the_limit_passes_the_field():
    upload = SimpleUploadedFile("ok.jpg", image_bytes("JPEG", size=(640, 480)))
    cleaned = images.ImageField().clean(upload)
    assert cleaned.image.size == (640, 480)


def test_not_an_image_keeps_djangos_message():
    with pytest.raises(ValidationError) as refused:
        images.ImageField().clean(SimpleUploadedFile("x.png", b"<html></html>"))
    assert refused.value.code == "invalid_image"


def test_reencode_of_a_40_megapixel_png_costs_about_one_decoded_frame(tmp_path):
    """The issue's 154 KB, 39.7 Mpx PNG took a worker from 157 to 396 MiB; now one frame."""
    width = height = 6_300  # 39.69 megapixels
    source = tmp_path / "flat.png"
    source.write_bytes(flat_png(width, height))
    assert source.stat().st_size < 200_000
    script = f"""
import resource, sys
sys.path.insert(0, {str(ROOT)!r})
from seminars import images
images.pillow()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
with open({str(source)!r}, "rb") as handle:
    out = images.reencode(handle, "PNG")
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print((after - before) * 1024, len(out))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    grown, size = (int(v) for v in result.stdout.split())
    frame = width * height * 4
    assert size > 1_000  # a real PNG came out
    assert grown <= 1.25 * frame, f"{grown / 2**20:.0f} MiB for a {frame / 2**20:.0f} MiB frame"
    assert images.DECODE_BUDGET_BYTES >= frame
