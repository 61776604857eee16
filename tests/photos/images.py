"""Image files for photo tests: good ones made with Pillow, hostile ones made by hand."""

import io
import struct
import zipfile
import zlib

from PIL import ExifTags, Image


def encode(image: Image.Image, fmt: str, **options) -> bytes:
    """`image` saved as `fmt`."""
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def jpeg(size=(64, 48), color="red", **options) -> bytes:
    """A plain JPEG."""
    return encode(Image.new("RGB", size, color), "JPEG", **options)


def png(size=(64, 48), mode="RGBA", color=(0, 0, 255, 128)) -> bytes:
    """A PNG (translucent blue by default)."""
    return encode(Image.new(mode, size, color if mode == "RGBA" else "blue"), "PNG")


def halves(size=(40, 20)) -> Image.Image:
    """Left half red, right half blue: shows which way the picture was turned."""
    image = Image.new("RGB", size, "blue")
    image.paste("red", (0, 0, size[0] // 2, size[1]))
    return image


def camera_exif(*, orientation=1, taken=None, offset=None, gps=None, make="Acme") -> Image.Exif:
    """EXIF as a phone writes it: orientation, camera make, capture time, GPS ((lat, ref), (lon, ref)) in DMS."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = make
    details = exif.get_ifd(ExifTags.IFD.Exif)
    if taken:
        details[ExifTags.Base.DateTimeOriginal] = taken
    if offset:
        details[ExifTags.Base.OffsetTimeOriginal] = offset
    if gps:
        (latitude, lat_ref), (longitude, lon_ref) = gps
        position = exif.get_ifd(ExifTags.IFD.GPSInfo)
        position[ExifTags.GPS.GPSLatitudeRef] = lat_ref
        position[ExifTags.GPS.GPSLatitude] = latitude
        position[ExifTags.GPS.GPSLongitudeRef] = lon_ref
        position[ExifTags.GPS.GPSLongitude] = longitude
    return exif


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_by_hand(width: int, height: int, *, bit_depth=8, color_type=2, rows: bytes = b"\x00" * 64) -> bytes:
    """A PNG whose header declares any size, with `rows` (raw scanlines) compressed as its only IDAT."""
    header = struct.pack(">IIBBBBB", width, height, bit_depth, color_type, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows)) + _chunk(b"IEND", b"")


def png_bomb() -> bytes:
    """A real, fully decodable 7000×7000 one-bit PNG (49 megapixels) of about 6 KB."""
    row = b"\x00" + b"\x00" * (7000 // 8)
    return png_by_hand(7000, 7000, bit_depth=1, color_type=0, rows=row * 7000)


def zip_archive() -> bytes:
    """A small ZIP archive."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("payload.html", "<script>alert(document.cookie)</script>")
    return buffer.getvalue()


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
