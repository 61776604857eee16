"""Photo request and response schemas."""

import marshmallow as ma
from flask_smorest.fields import Upload
from marshmallow import validate
from werkzeug.datastructures import FileStorage

from inspect_service.common.schemas import StrictSchema

ROLES = ("before", "after", "evidence", "signature")
URL = {"type": "string", "description": "Path of the bytes on this API"}
WGS84 = "WGS-84 degrees; EXIF's GPS position when omitted (send latitude and longitude together)"


class PhotoFile(Upload):
    """A file part of a multipart body (a text field of the same name is refused)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, FileStorage):
            raise ma.ValidationError("Send the photo as a file part.")
        return value


class PhotoUploadSchema(StrictSchema):
    """A photo upload: the file and its form fields, in one multipart/form-data body."""

    file = PhotoFile(required=True, metadata={"description": "JPEG, PNG or WebP, at most PHOTO_MAX_BYTES"})
    id = ma.fields.UUID(metadata={"description": "Client-generated id; a retry with the same id is idempotent"})
    enterprise_id = ma.fields.UUID(required=True)
    role = ma.fields.String(required=True, validate=validate.OneOf(ROLES))
    captured_at = ma.fields.AwareDateTime(metadata={"description": "Device time of capture; EXIF's when omitted"})
    latitude = ma.fields.Float(validate=validate.Range(-90, 90), metadata={"description": WGS84})
    longitude = ma.fields.Float(validate=validate.Range(-180, 180), metadata={"description": WGS84})

    @ma.validates_schema
    def _position_in_pairs(self, data, **_kwargs):
        if ("latitude" in data) != ("longitude" in data):
            field = "longitude" if "latitude" in data else "latitude"
            raise ma.ValidationError("Send latitude and longitude together.", field)


class PhotoSchema(ma.Schema):
    """A photo's metadata as returned; the bytes are at `content_url` and `thumbnail_url`."""

    id = ma.fields.UUID(required=True)
    park_id = ma.fields.UUID(required=True)
    enterprise_id = ma.fields.UUID(required=True)
    role = ma.fields.String(required=True)
    content_type = ma.fields.String(required=True)
    width = ma.fields.Integer(required=True)
    height = ma.fields.Integer(required=True)
    size_bytes = ma.fields.Integer(required=True)
    sha256 = ma.fields.String(required=True, metadata={"description": "SHA-256 of the stored (re-encoded) bytes"})
    original_sha256 = ma.fields.String(required=True, metadata={"description": "SHA-256 of the uploaded file"})
    captured_at = ma.fields.AwareDateTime(allow_none=True)
    latitude = ma.fields.Float(allow_none=True)
    longitude = ma.fields.Float(allow_none=True)
    uploaded_by = ma.fields.UUID(required=True)
    created_at = ma.fields.AwareDateTime(required=True)
    content_url = ma.fields.Function(lambda photo: f"/api/photos/{photo.id}/content", required=True, metadata=URL)
    thumbnail_url = ma.fields.Function(lambda photo: f"/api/photos/{photo.id}/thumbnail", required=True, metadata=URL)
