"""Image bytes for upload tests: good photos, photos with metadata, and hostile files."""

import io
import struct
import zlib

from PIL import Image


def image_bytes(fmt="JPEG", size=(64, 48), color=(200, 30, 30), **save_options):
    buffer = io.BytesIO()
    mode = "RGBA" if fmt == "PNG" else "RGB"
    Image.new(mode, size, color).save(buffer, format=fmt, **save_options)
    return buffer.getvalue()


def jpeg_with_gps():
    """A JPEG whose EXIF carries a camera model and GPS coordinates."""
    exif = Image.Exif()
    exif[0x0110] = "SpyCam 3000"  # Model
    gps = {1: "N", 2: (31.0, 28.0, 0.0), 3: "E", 4: (104.0, 44.0, 0.0)}
    exif[0x8825] = gps
    return image_bytes("JPEG", exif=exif.tobytes())


def png_header_only(width, height):
    """A tiny PNG file that claims huge dimensions (a decompression bomb's header)."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


GIF_POLYGLOT = b"GIF89a/*\x01\x00\x01\x00\x00\x00\x00;*/=1;alert(document.domain)//" + b"\x00" * 16
SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML_AS_JPEG = b"<html><body><script>alert(1)</script></body></html>"
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
