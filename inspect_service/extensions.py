"""Unbound extensions, bound to an app in the factory.

flask-smorest's Api holds a single app and spec, so each app builds its own (see create_app).
"""

from inspect_service.common.db import Database

db = Database()
