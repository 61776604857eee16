"""The image pipeline without HTTP: container walking, EXIF facts, and refusals that are never anything else."""

import io
import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
from PIL import Image, PngImagePlugin

from inspect_service.photos import containers, imaging
from tests.photos import images

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _with_comment(jpeg: bytes, comment: bytes) -> bytes:
    """`jpeg` with a COM segment right after SOI."""
    return jpeg[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + jpeg[2:]


@pytest.mark.parametrize(
    "data",
    [
        images.jpeg((64, 64), progressive=True),
        images.encode(Image.new("RGB", (64, 64), "teal"), "JPEG", restart_marker_blocks=1),
        _with_comment(images.jpeg(), b"\xff\xd9PK\x03\x04 an end marker inside a segment is not the end"),
        images.jpeg() + b"\x00" * 16,  # zero padding some encoders leave
    ],
    ids=["progressive", "restart-markers", "eoi-inside-a-segment", "zero-padding"],
)
def test_sound_jpeg_variants_end_where_they_should(data):
    assert containers.trailing_bytes(data, containers.JPEG) == 0
    assert imaging.process(data, zone=SHANGHAI).content_type == "image/jpeg"


def test_bytes_after_the_end_marker_are_counted():
    assert containers.trailing_bytes(images.jpeg() + b"<html>", containers.JPEG) == 6
    assert containers.trailing_bytes(images.png() + b"PK\x05\x06", containers.PNG) == 4


def test_southern_and_western_positions_are_negative():
    exif = images.camera_exif(gps=(((33.0, 52.0, 4.2), "S"), ((151.0, 12.0, 36.0), "W")))
    processed = imaging.process(images.jpeg(exif=exif), zone=SHANGHAI)
    assert (processed.latitude, processed.longitude) == (-33.8678333, -151.21)


def test_utc_offset_in_exif_wins_over_the_park_zone():
    exif = images.camera_exif(taken="2026:03:01 09:30:00", offset="+02:00")
    processed = imaging.process(images.jpeg(exif=exif), zone=SHANGHAI)
    assert processed.captured_at == datetime(2026, 3, 1, 7, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    "exif",
    [
        images.camera_exif(taken="0000:00:00 00:00:00"),
        images.camera_exif(taken="yesterday"),
        images.camera_exif(gps=(((0.0, 0.0, 0.0), "N"), ((0.0, 0.0, 0.0), "E"))),  # no fix
        images.camera_exif(gps=(((95.0, 0.0, 0.0), "N"), ((120.0, 0.0, 0.0), "E"))),
        images.camera_exif(orientation=42),
    ],
    ids=["zero-time", "text-time", "null-island", "latitude-95", "orientation-42"],
)
def test_unusable_exif_gives_no_facts_but_the_photo_is_kept(exif):
    processed = imaging.process(images.jpeg((30, 20), exif=exif), zone=SHANGHAI)
    assert (processed.width, processed.height) == (30, 20)
    assert (processed.captured_at, processed.latitude, processed.longitude) == (None, None, None)


def _mutations(data: bytes, rng: random.Random, count: int):
    for _ in range(count):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        cut = rng.choice([len(damaged), rng.randrange(1, len(damaged))])
        yield bytes(damaged[:cut])


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP"])
def test_damaged_files_are_rejected_or_processed_never_anything_else(kind):
    source = images.encode(Image.effect_noise((48, 32), 40).convert("RGB"), kind)
    rng = random.Random(kind)  # the same cases on every run
    for data in _mutations(source, rng, 150):
        try:
            imaging.process(data, zone=SHANGHAI)
        except imaging.Rejected as exc:
            assert exc.detail


def test_transparent_png_keeps_no_text_chunks_or_exif():
    text = PngImagePlugin.PngInfo()
    text.add_text("Author", "secret author")
    source = images.encode(
        Image.new("RGBA", (20, 10), (0, 0, 0, 0)), "PNG", pnginfo=text, exif=images.camera_exif(make="SecretCam")
    )
    processed = imaging.process(source, zone=SHANGHAI)
    stored = Image.open(io.BytesIO(processed.content))
    assert (stored.format, stored.mode) == ("PNG", "RGBA")
    assert not {"Author", "exif", "icc_profile"} & set(stored.info)
    assert b"secret" not in processed.content and b"SecretCam" not in processed.content
