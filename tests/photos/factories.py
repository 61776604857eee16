"""Photo factories, and photo targets and bodies for the authorization matrix."""

import io
from types import SimpleNamespace

from inspect_service.auth.actor import actor_for
from inspect_service.parks.models import Park
from inspect_service.photos import service
from inspect_service.photos.models import Photo
from tests.photos import images


def upload_photo(session, storage, enterprise, uploader, role="evidence", **fields) -> Photo:
    """A photo uploaded through the service by `uploader`, its bytes and thumbnail in `storage`."""
    actor = actor_for(uploader, session.get(Park, uploader.park_id), None)
    photo_in = {"file": io.BytesIO(images.jpeg()), "enterprise_id": enterprise.id, "role": role, **fields}
    photo, _created = service.upload(
        session=session, actor=actor, storage=storage, photo_in=photo_in, max_bytes=1 << 20
    )
    session.commit()
    return photo


def matrix_targets(session, storage, world) -> SimpleNamespace:
    """A photo of each of the world's enterprises: `own`, `other` and `foreign`."""
    uploaders = {"own": "inspector", "other": "inspector", "foreign": "foreign_officer"}
    return SimpleNamespace(
        **{
            name: upload_photo(session, storage, getattr(world, name), world.user(who))
            for name, who in uploaders.items()
        }
    )


def new_photo(world, _session, _target) -> dict:
    """A multipart form uploading a small JPEG of the world's own enterprise (send it as `data=`, not `json=`)."""
    return {"enterprise_id": str(world.own.id), "role": "evidence", "file": (io.BytesIO(images.jpeg()), "photo.jpg")}
