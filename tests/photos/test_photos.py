"""Photos over HTTP: upload, clean re-encoding, idempotent retries, hostile files, size caps and scoping."""

import io
import uuid

import pytest
from PIL import Image
from sqlalchemy import func, select

from inspect_service import create_app
from inspect_service.common import storage
from inspect_service.errors import Conflict
from inspect_service.extensions import db
from inspect_service.photos import service
from inspect_service.photos.models import Photo
from tests.conftest import test_config as make_config
from tests.photos import images
from tests.photos.factories import matrix_targets, upload_photo


def _form(enterprise, data: bytes, filename="photo.jpg", **fields) -> dict:
    return {"enterprise_id": str(enterprise.id), "role": "before", **fields, "file": (io.BytesIO(data), filename)}


def upload(client, headers, enterprise, data: bytes, filename="photo.jpg", **fields):
    """POST /api/photos as multipart/form-data."""
    return client.post("/api/photos", data=_form(enterprise, data, filename, **fields), headers=headers)


def _count(session) -> int:
    return session.scalar(select(func.count()).select_from(Photo))


def _image(response) -> Image.Image:
    image = Image.open(io.BytesIO(response.data))
    image.load()
    return image


def _assert_problem(response, status: int, field: str | None = "file"):
    assert response.status_code == status, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert response.json["status"] == status
    if field:
        assert field in response.json["errors"]


def test_inspector_uploads_jpeg_and_reads_metadata_bytes_and_thumbnail(client, world):
    headers = world.headers["inspector"]
    data = images.jpeg((640, 480))
    created = upload(client, headers, world.own, data, role="evidence")
    assert created.status_code == 201, created.json
    photo = created.json
    assert (photo["enterprise_id"], photo["park_id"], photo["role"]) == (
        str(world.own.id),
        str(world.park.id),
        "evidence",
    )
    assert (photo["content_type"], photo["width"], photo["height"]) == ("image/jpeg", 640, 480)
    assert photo["uploaded_by"] == str(world.user("inspector").id)
    assert client.get(f"/api/photos/{photo['id']}", headers=headers).json == photo

    content = client.get(photo["content_url"], headers=headers)
    assert content.status_code == 200 and content.mimetype == "image/jpeg"
    assert "private" in content.headers["Cache-Control"]
    assert content.headers["X-Content-Type-Options"] == "nosniff"
    assert len(content.data) == photo["size_bytes"]
    assert _image(content).size == (640, 480)

    thumbnail = client.get(photo["thumbnail_url"], headers=headers)
    assert thumbnail.status_code == 200 and thumbnail.mimetype == "image/jpeg"
    assert thumbnail.headers["X-Content-Type-Options"] == "nosniff"
    assert _image(thumbnail).size == (320, 240)


@pytest.mark.parametrize(
    ("data", "stored_type"),
    [
        (images.png(mode="RGBA"), "image/png"),  # transparency survives
        (images.png(mode="RGB"), "image/jpeg"),
        (images.encode(Image.new("RGB", (64, 48), "green"), "WEBP"), "image/jpeg"),
    ],
    ids=["png-transparent", "png-opaque", "webp"],
)
def test_png_and_webp_are_accepted_and_re_encoded(client, world, data, stored_type):
    created = upload(client, world.headers["enterprise_safety_officer"], world.own, data, filename="x.png")
    assert created.status_code == 201, created.json
    assert created.json["content_type"] == stored_type
    content = client.get(created.json["content_url"], headers=world.headers["enterprise_safety_officer"])
    assert content.mimetype == stored_type and _image(content).size == (64, 48)


def test_large_photo_is_downscaled_to_2560_on_the_long_edge(client, world):
    created = upload(client, world.headers["inspector"], world.own, images.jpeg((3000, 1200)))
    assert (created.json["width"], created.json["height"]) == (2560, 1024)


def test_exif_orientation_is_applied_to_the_stored_pixels(client, world):
    data = images.encode(images.halves((40, 20)), "JPEG", exif=images.camera_exif(orientation=6))
    created = upload(client, world.headers["inspector"], world.own, data)
    assert (created.json["width"], created.json["height"]) == (20, 40)
    stored = _image(client.get(created.json["content_url"], headers=world.headers["inspector"])).convert("RGB")
    assert stored.size == (20, 40)
    top, bottom = stored.getpixel((10, 5)), stored.getpixel((10, 35))
    assert top[0] > 200 and top[2] < 60, "turned clockwise: the left (red) half is now on top"
    assert bottom[2] > 200 and bottom[0] < 60


def test_capture_time_and_position_come_from_exif_when_not_sent(client, world):
    exif = images.camera_exif(
        taken="2026:03:01 09:30:00", offset="+08:00", gps=(((30.0, 15.0, 36.0), "N"), ((120.0, 10.0, 12.0), "E"))
    )
    created = upload(client, world.headers["inspector"], world.own, images.jpeg(exif=exif))
    assert created.json["captured_at"] == "2026-03-01T01:30:00+00:00"
    assert (created.json["latitude"], created.json["longitude"]) == (30.26, 120.17)


def test_exif_time_without_offset_is_read_in_the_park_zone(client, world):
    created = upload(
        client, world.headers["inspector"], world.own, images.jpeg(exif=images.camera_exif(taken="2026:03:01 09:30:00"))
    )
    assert created.json["captured_at"] == "2026-03-01T01:30:00+00:00"  # Asia/Shanghai
    assert created.json["latitude"] is None


def test_client_time_and_position_win_over_exif(client, world):
    exif = images.camera_exif(taken="2026:03:01 09:30:00", gps=(((30.0, 0.0, 0.0), "N"), ((120.0, 0.0, 0.0), "E")))
    created = upload(
        client,
        world.headers["inspector"],
        world.own,
        images.jpeg(exif=exif),
        captured_at="2026-04-02T08:00:00+08:00",
        latitude="31.5",
        longitude="121.25",
    )
    assert created.json["captured_at"] == "2026-04-02T00:00:00+00:00"
    assert (created.json["latitude"], created.json["longitude"]) == (31.5, 121.25)


def test_stored_photo_carries_no_metadata(client, world):
    exif = images.camera_exif(taken="2026:03:01 09:30:00", gps=(((30.0, 0.0, 0.0), "N"), ((120.0, 0.0, 0.0), "E")))
    data = images.jpeg(exif=exif, comment=b"secret note", icc_profile=b"fake-profile" * 10)
    created = upload(client, world.headers["inspector"], world.own, data)
    for url in (created.json["content_url"], created.json["thumbnail_url"]):
        response = client.get(url, headers=world.headers["inspector"])
        stored = _image(response)
        assert dict(stored.getexif()) == {}
        assert not {"exif", "icc_profile", "comment", "xmp"} & set(stored.info)
        assert b"Acme" not in response.data and b"secret note" not in response.data
    assert created.json["sha256"] != created.json["original_sha256"]


def test_retry_with_same_id_and_file_returns_the_same_photo(client, session, world):
    photo_id, data = str(uuid.uuid4()), images.jpeg()
    first = upload(client, world.headers["inspector"], world.own, data, id=photo_id)
    again = upload(client, world.headers["inspector"], world.own, data, id=photo_id)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json["id"] == photo_id and again.json == first.json
    assert _count(session) == 1


@pytest.mark.parametrize(
    "change",
    [{"data": images.jpeg(color="blue")}, {"role": "after"}, {"latitude": "30", "longitude": "120"}],
    ids=["other-file", "other-role", "other-position"],
)
def test_same_id_with_different_content_is_409(client, session, world, change):
    photo_id = str(uuid.uuid4())
    assert upload(client, world.headers["inspector"], world.own, images.jpeg(), id=photo_id).status_code == 201
    fields = {"id": photo_id, **change}
    data = fields.pop("data", images.jpeg())
    _assert_problem(upload(client, world.headers["inspector"], world.own, data, **fields), 409, field=None)
    assert _count(session) == 1


def _jpeg_without_end() -> bytes:
    data = images.jpeg((200, 150))
    return data[: len(data) // 2]


HOSTILE = {
    # name: (bytes, filename, status)
    "zero-byte": (b"", "empty.jpg", 422),
    "text-named-jpg": (b"just some notes, not a picture\n" * 10, "notes.jpg", 415),
    "svg": (images.SVG, "logo.svg", 415),
    "svg-named-png": (images.SVG, "logo.png", 415),
    "html": (images.HTML, "page.jpg", 415),
    "zip": (images.zip_archive(), "photo.jpg", 415),
    "gif": (images.encode(Image.new("RGB", (8, 8)), "GIF"), "anim.gif", 415),
    "bmp": (images.encode(Image.new("RGB", (8, 8)), "BMP"), "photo.bmp", 415),
    "truncated-jpeg": (_jpeg_without_end(), "cut.jpg", 422),
    "jpeg-garbage-after-soi": (b"\xff\xd8\xff\xe0" + b"\x13\x37" * 200, "junk.jpg", 422),
    "jpeg-plus-zip": (images.jpeg() + images.zip_archive(), "polyglot.jpg", 422),
    "jpeg-plus-html": (images.jpeg() + images.HTML, "polyglot.jpg", 422),
    "png-plus-html": (images.png() + images.HTML, "polyglot.png", 422),
    "png-plus-zip": (images.png() + images.zip_archive(), "polyglot.png", 422),
    "webp-plus-zip": (images.encode(Image.new("RGB", (8, 8)), "WEBP") + images.zip_archive(), "p.webp", 422),
    "truncated-webp": (images.encode(Image.new("RGB", (64, 64)), "WEBP")[:-20], "cut.webp", 422),
    "png-declaring-30000x30000": (images.png_by_hand(30_000, 30_000), "bomb.png", 422),  # Pillow's own error
    "png-declaring-10000x10000": (images.png_by_hand(10_000, 10_000), "bomb.png", 422),  # Pillow's warning
    "jpeg-scan-flood": (b"\xff\xd8" + b"\xff\xda\x00\x02\x00" * 101 + b"\xff\xd9", "scans.jpg", 422),
    "png-49-megapixels": (images.png_bomb(), "bomb.png", 422),
    "png-absurd-shape": (images.png_by_hand(20_000, 1), "line.png", 422),
    "png-bad-crc": (images.png()[:-5] + b"\x00" + images.png()[-4:], "crc.png", 422),
    "png-broken-pixels": (images.png_by_hand(64, 64, rows=b"\xff" * 10), "pixels.png", 422),
}


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_file_is_refused_with_a_problem_and_nothing_stored(client, session, world, name):
    data, filename, status = HOSTILE[name]
    response = upload(client, world.headers["inspector"], world.own, data, filename=filename)
    _assert_problem(response, status)
    assert response.json["detail"] == response.json["errors"]["file"][0]
    assert _count(session) == 0


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"role": "selfie"}, "role"),
        ({"captured_at": "2026-03-01T09:30:00"}, "captured_at"),  # no offset
        ({"latitude": "91", "longitude": "120"}, "latitude"),
        ({"latitude": "nan", "longitude": "120"}, "latitude"),
        ({"latitude": "30"}, "longitude"),
        ({"id": "not-a-uuid"}, "id"),
        ({"park_id": "00000000-0000-0000-0000-000000000001"}, "park_id"),
        ({"uploaded_by": "00000000-0000-0000-0000-000000000001"}, "uploaded_by"),
        ({"sha256": "0" * 64}, "sha256"),
    ],
)
def test_bad_or_server_owned_form_fields_are_422(client, session, world, fields, field):
    _assert_problem(upload(client, world.headers["inspector"], world.own, images.jpeg(), **fields), 422, field)
    assert _count(session) == 0


def test_photo_sent_as_text_or_json_is_422(client, world):
    as_text = {"enterprise_id": str(world.own.id), "role": "before", "file": "aGVsbG8="}
    _assert_problem(client.post("/api/photos", data=as_text, headers=world.headers["inspector"]), 422)
    _assert_problem(client.post("/api/photos", json=as_text, headers=world.headers["inspector"]), 422)


@pytest.fixture
def small_cap_app(app, tmp_path):
    """An app with a 2 KiB photo cap, sharing the test's transaction."""
    small = create_app(make_config(app.config["DATABASE_URL"], PHOTO_MAX_BYTES=2048, STORAGE_DIR=str(tmp_path)))
    db.bind(small, app.extensions["db"]["factory"].kw["bind"])
    return small


def test_photo_over_the_cap_is_413(small_cap_app, world, session):
    client = small_cap_app.test_client()
    headers = world.headers["inspector"]
    over_file = upload(client, headers, world.own, b"\xff\xd8\xff" + b"\x00" * 3000)  # body under the body cap
    _assert_problem(over_file, 413)
    over_body = upload(client, headers, world.own, b"\x00" * 200_000)  # body over cap + form allowance: never read
    _assert_problem(over_body, 413, field=None)
    assert "errors" not in over_body.json, "refused by the body limit, before the form was parsed"
    assert upload(client, headers, world.own, images.jpeg((8, 8))).status_code == 201
    assert _count(session) == 1


def test_admin_may_not_upload(client, session, world):
    _assert_problem(upload(client, world.headers["admin"], world.own, images.jpeg()), 403, field=None)
    assert _count(session) == 0


def test_anonymous_gets_401_everywhere(client, world):
    photo = upload(client, world.headers["inspector"], world.own, images.jpeg()).json
    _assert_problem(upload(client, {}, world.own, images.jpeg()), 401, field=None)
    for url in (f"/api/photos/{photo['id']}", photo["content_url"], photo["thumbnail_url"]):
        _assert_problem(client.get(url), 401, field=None)


@pytest.mark.parametrize(
    ("caller", "enterprise"),
    [
        ("enterprise_safety_officer", "other"),
        ("enterprise_principal", "foreign"),
        ("liaison_officer", "other"),
        ("park_manager", "foreign"),
        ("inspector", "foreign"),
    ],
)
def test_upload_for_an_enterprise_out_of_reach_is_404(client, session, world, caller, enterprise):
    response = upload(client, world.headers[caller], getattr(world, enterprise), images.jpeg())
    _assert_problem(response, 404, field=None)
    assert _count(session) == 0


# Photo of enterprise own / other / foreign -> status, for each of the three read routes.
READS = {
    "admin": (200, 200, 200),
    "park_manager": (200, 200, 404),
    "inspector": (200, 200, 404),
    "enforcement_officer": (200, 200, 404),
    "liaison_officer": (200, 404, 404),
    "third_party_expert": (200, 404, 404),
    "enterprise_safety_officer": (200, 404, 404),
    "enterprise_principal": (200, 404, 404),
    "foreign_manager": (404, 404, 200),
    "foreign_officer": (404, 404, 200),
}


def _read_urls(photo) -> list[str]:
    return [f"/api/photos/{photo.id}", f"/api/photos/{photo.id}/content", f"/api/photos/{photo.id}/thumbnail"]


def _assert_reads(client, world, photos, caller, statuses):
    for name, status in zip(("own", "other", "foreign"), statuses, strict=True):
        for url in _read_urls(getattr(photos, name)):
            response = client.get(url, headers=world.headers[caller])
            assert response.status_code == status, (caller, name, url, response.get_json())
            if status == 404:
                absent = client.get(
                    url.replace(str(getattr(photos, name).id), str(uuid.uuid4())), headers=world.headers[caller]
                )
                assert (absent.status_code, absent.json) == (404, response.json), "out of scope answers like missing"


@pytest.mark.parametrize("caller", READS)
def test_reads_are_scoped_by_enterprise_visibility(client, session, world, caller):
    photos = matrix_targets(session, storage.current(), world)
    _assert_reads(client, world, photos, caller, READS[caller])


def test_park_wide_liaison_reads_photos_of_the_whole_park_but_experts_do_not(client, session, world):
    photos = matrix_targets(session, storage.current(), world)
    world.park.settings = {**world.park.settings, "liaison_park_read": True}
    session.add(world.park)
    session.commit()
    _assert_reads(client, world, photos, "liaison_officer", (200, 200, 404))
    _assert_reads(client, world, photos, "third_party_expert", (200, 404, 404))


def test_insert_racing_a_retry_of_the_same_id_answers_like_the_retry(app, session, world):
    photo = upload_photo(session, storage.current(), world.own, world.user("inspector"))
    session.expunge_all()  # as another request would: the row is only in the database
    twin = Photo(**photo.model_dump())
    assert service._insert(session, twin) == (session.get(Photo, photo.id), False)
    session.expunge_all()
    with pytest.raises(Conflict):
        service._insert(session, Photo(**{**photo.model_dump(), "payload_hash": "0" * 64}))
    assert _count(session) == 1
