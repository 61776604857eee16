"""The file structure of JPEG, PNG and WebP: which of them some bytes are, and where that image ends.

Read before any decoder runs, so only the three accepted formats ever reach Pillow, and bytes after the
image's end marker (a ZIP, HTML or script riding on a valid picture: a polyglot) are refused.
"""

JPEG, PNG, WEBP = "JPEG", "PNG", "WEBP"
CONTENT_TYPES = {JPEG: "image/jpeg", PNG: "image/png", WEBP: "image/webp"}

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}  # TEM and RST0-7 carry no length field
_JPEG_EOI, _JPEG_SOS = 0xD9, 0xDA
MAX_JPEG_SCANS = 100  # a phone's progressive JPEG has about ten; thousands make decoding crawl


class Malformed(ValueError):
    """The bytes claim a format but do not follow its structure."""


class Truncated(Malformed):
    """The image stops before its end marker."""


def sniff(data: bytes) -> str | None:
    """Return JPEG, PNG or WEBP from the leading bytes; None for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(_PNG_SIGNATURE):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    return None


def trailing_bytes(data: bytes, kind: str) -> int:
    """Count the bytes after the image's end (zero padding excepted); Malformed or Truncated when unreadable."""
    end = {JPEG: _jpeg_end, PNG: _png_end, WEBP: _webp_end}[kind](data)
    return len(data[end:].rstrip(b"\x00"))


def _png_end(data: bytes) -> int:
    """The offset just after the IEND chunk."""
    position = len(_PNG_SIGNATURE)
    while position + 12 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        if length > 0x7FFFFFFF:
            raise Malformed("PNG chunk length out of range")
        kind = data[position + 4 : position + 8]
        position += 12 + length  # length, type, data, CRC
        if kind == b"IEND":
            if position > len(data):
                break
            return position
    raise Truncated("PNG without IEND")


def _webp_end(data: bytes) -> int:
    """The offset just after the RIFF container (its size field counts from byte 8; odd sizes are padded)."""
    size = int.from_bytes(data[4:8], "little")
    end = 8 + size + (size & 1)
    if end > len(data):
        raise Truncated("WebP shorter than its RIFF size")
    return end


def _jpeg_end(data: bytes) -> int:
    """The offset just after the EOI marker that ends the image (segments and scans walked, not searched)."""
    position, size, scans = 2, len(data), 0
    while position + 1 < size:
        if data[position] != 0xFF:
            raise Malformed("JPEG marker expected")
        if data[position + 1] == 0xFF:  # fill byte before a marker
            position += 1
            continue
        marker = data[position + 1]
        if marker == _JPEG_EOI:
            return position + 2
        if marker in _JPEG_STANDALONE:
            position += 2
            continue
        if position + 4 > size:
            break
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if length < 2:
            raise Malformed("JPEG segment length out of range")
        position += 2 + length
        if marker == _JPEG_SOS:
            scans += 1
            if scans > MAX_JPEG_SCANS:
                raise Malformed("JPEG with too many scans")
            position = _jpeg_scan_end(data, position)
    raise Truncated("JPEG without EOI")


def _jpeg_scan_end(data: bytes, position: int) -> int:
    """The offset of the first marker after entropy-coded data (FF00 is a stuffed byte, FFD0-D7 a restart)."""
    while True:
        position = data.find(b"\xff", position)
        if position < 0 or position + 1 >= len(data):
            return len(data)
        following = data[position + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            position += 2
            continue
        return position
