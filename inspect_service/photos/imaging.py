"""Turn uploaded bytes into a clean photo: verify, orient, keep capture time and GPS, strip the rest, re-encode.

Pure: bytes in, a Processed out (no Flask, no session). Anything that is not a sound JPEG, PNG or WebP raises
Rejected; nothing a file contains can make this raise anything else.
"""

import io
import math
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo

from PIL import ExifTags, Image, ImageOps

from inspect_service.photos import containers

MAX_PIXELS = 40_000_000  # decoded size bound: larger images are refused before any pixel is decoded
MAX_SIDE = 16_384  # refuses absurd shapes (1 × 40,000,000) that the pixel bound lets through
MAX_EDGE = 2_560  # stored photos are downscaled to this long edge
THUMB_EDGE = 320
JPEG_QUALITY = 85
THUMB_QUALITY = 80
ACCEPTED = "Only JPEG, PNG and WebP photos are accepted."


class Rejected(ValueError):
    """The bytes are not an acceptable photo; `unsupported` means the type (415) rather than the content (422)."""

    def __init__(self, detail: str, *, unsupported: bool = False):
        super().__init__(detail)
        self.detail = detail
        self.unsupported = unsupported


@dataclass(frozen=True)
class Processed:
    """A photo ready to store: re-encoded bytes, thumbnail, and what its metadata said worth keeping."""

    content: bytes
    content_type: str
    width: int
    height: int
    thumbnail: bytes
    captured_at: datetime | None
    latitude: float | None
    longitude: float | None


def process(data: bytes, *, zone: tzinfo) -> Processed:
    """Verify `data`, then re-encode it oriented, downscaled and without metadata; `zone` reads EXIF local times."""
    kind = _check_container(data)
    image = _decode(data, kind)
    captured_at, latitude, longitude = _exif_facts(image, zone)
    image = _oriented(image)
    image.thumbnail((MAX_EDGE, MAX_EDGE), Image.Resampling.LANCZOS)
    content, content_type = _encode(image)
    return Processed(
        content=content,
        content_type=content_type,
        width=image.width,
        height=image.height,
        thumbnail=_thumbnail(image),
        captured_at=captured_at,
        latitude=latitude,
        longitude=longitude,
    )


def _check_container(data: bytes) -> str:
    """Return the format of `data` after checking it is complete and carries nothing after its end."""
    if not data:
        raise Rejected("The file is empty.")
    kind = containers.sniff(data)
    if kind is None:
        raise Rejected(ACCEPTED, unsupported=True)
    try:
        extra = containers.trailing_bytes(data, kind)
    except containers.Truncated as exc:
        raise Rejected("The image is truncated.") from exc
    except containers.Malformed as exc:
        raise Rejected("The image is damaged.") from exc
    if extra:
        raise Rejected("The file carries other data after the end of the image.")
    return kind


def _check_size(image: Image.Image) -> None:
    """Refuse, from the header's dimensions alone, what would be too big or too odd to decode."""
    width, height = image.size
    if width < 1 or height < 1 or max(width, height) > MAX_SIDE:
        raise Rejected(f"The image dimensions {width}×{height} are not those of a photo.")
    if width * height > MAX_PIXELS:
        raise Rejected(f"The image has more than {MAX_PIXELS // 1_000_000} million pixels.")


def _decode(data: bytes, kind: str) -> Image.Image:
    """Open with the one decoder of `kind`, bound the size from the header, verify, reopen and decode fully."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[kind]) as probe:
                _check_size(probe)
                probe.verify()
            image = Image.open(io.BytesIO(data), formats=[kind])
            _check_size(image)
            _draft(image)
            image.load()
    except Rejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise Rejected(f"The image has more than {MAX_PIXELS // 1_000_000} million pixels.") from exc
    except Exception as exc:  # Pillow's decoders raise many undocumented types on hostile bytes
        raise Rejected("The image is damaged or incomplete.") from exc
    return image


def _draft(image: Image.Image) -> None:
    """Let a JPEG decode at a reduced scale (1/2, 1/4, 1/8) when it would be downscaled anyway; all data is read."""
    if image.format not in ("JPEG", "MPO"):
        return
    ratio = MAX_EDGE / max(image.size)
    if ratio < 1:
        image.draft(image.mode, (math.ceil(image.width * ratio), math.ceil(image.height * ratio)))


def _oriented(image: Image.Image) -> Image.Image:
    """A copy of `image` turned as its EXIF orientation says; an unreadable orientation is ignored."""
    try:
        return ImageOps.exif_transpose(image)
    except Exception:  # noqa: BLE001 - a broken EXIF block is common on real photos and is not worth a refusal
        return image.copy()


def _encode(image: Image.Image) -> tuple[bytes, str]:
    """Write JPEG (PNG when transparent) from the pixels only: no EXIF, ICC profile, XMP or comments."""
    transparent = image.has_transparency_data
    clean = image.convert("RGBA" if transparent else "RGB")
    clean.info = {}
    buffer = io.BytesIO()
    if transparent:
        clean.save(buffer, "PNG")
        return buffer.getvalue(), containers.CONTENT_TYPES[containers.PNG]
    clean.save(buffer, "JPEG", quality=JPEG_QUALITY)
    return buffer.getvalue(), containers.CONTENT_TYPES[containers.JPEG]


def _thumbnail(image: Image.Image) -> bytes:
    """A small JPEG of `image` (transparency over white)."""
    small = image.copy()
    small.thumbnail((THUMB_EDGE, THUMB_EDGE), Image.Resampling.LANCZOS)
    if small.has_transparency_data:
        small = small.convert("RGBA")
        backdrop = Image.new("RGBA", small.size, "white")
        small = Image.alpha_composite(backdrop, small)
    small = small.convert("RGB")
    small.info = {}
    buffer = io.BytesIO()
    small.save(buffer, "JPEG", quality=THUMB_QUALITY)
    return buffer.getvalue()


def _exif_facts(image: Image.Image, zone: tzinfo) -> tuple[datetime | None, float | None, float | None]:
    """Capture time (aware UTC) and WGS-84 position from EXIF; None where absent or unreadable."""
    try:
        exif = image.getexif()
        details = exif.get_ifd(ExifTags.IFD.Exif)
        gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    except Exception:  # noqa: BLE001 - metadata is optional; a broken block means no facts, not a refusal
        return None, None, None
    latitude, longitude = _position(gps)
    return _capture_time(details, zone), latitude, longitude


def _capture_time(details: dict, zone: tzinfo) -> datetime | None:
    """DateTimeOriginal, in its OffsetTimeOriginal when given, else in `zone` (the park's)."""
    raw = _text(details.get(ExifTags.Base.DateTimeOriginal))
    offset = _text(details.get(ExifTags.Base.OffsetTimeOriginal))
    try:
        moment = datetime.strptime(raw, "%Y:%m:%d %H:%M:%S")
    except (TypeError, ValueError):
        return None
    try:
        aware = datetime.strptime(f"{raw} {offset}", "%Y:%m:%d %H:%M:%S %z") if offset else None
    except ValueError:
        aware = None
    return (aware or moment.replace(tzinfo=zone)).astimezone(UTC)


def _position(gps: dict) -> tuple[float | None, float | None]:
    """Decimal degrees from GPSLatitude/GPSLongitude and their N/S, E/W references."""
    try:
        latitude = _degrees(gps[ExifTags.GPS.GPSLatitude], gps.get(ExifTags.GPS.GPSLatitudeRef), "S")
        longitude = _degrees(gps[ExifTags.GPS.GPSLongitude], gps.get(ExifTags.GPS.GPSLongitudeRef), "W")
    except (KeyError, TypeError, ValueError, ZeroDivisionError):
        return None, None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180) or (latitude, longitude) == (0, 0):
        return None, None  # 0,0 is what devices without a fix write
    return round(latitude, 7), round(longitude, 7)


def _degrees(value, reference, negative: str) -> float:
    """Degrees, minutes, seconds to signed decimal degrees (negative for the `negative` reference)."""
    degrees, minutes, seconds = (float(part) for part in value)
    result = degrees + minutes / 60 + seconds / 3600
    if not math.isfinite(result):
        raise ValueError("not a coordinate")
    return -result if _text(reference).upper() == negative else result


def _text(value) -> str:
    """An EXIF ASCII value as clean text (NUL padding removed)."""
    if isinstance(value, bytes):
        value = value.decode("ascii", "replace")
    return str(value or "").strip("\x00 ")
