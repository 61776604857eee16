"""SQLite takes its write lock at BEGIN: a request with a body must not hold it while the body is still arriving."""

from inspect_service.auth.actor import _ACTOR_KEY, authenticate_secured_operations
from inspect_service.extensions import db


def test_token_check_of_an_upload_ends_its_transaction_before_the_body_is_read(app, world, backend):
    with app.test_request_context("/api/photos", method="POST", headers=world.headers["inspector"]) as context:
        authenticate_secured_operations()
        assert context.request.environ[_ACTOR_KEY].role == "inspector"
        # On SQLite nothing is left open (the lock is free while a phone uploads); PostgreSQL keeps its snapshot.
        assert db.session.in_transaction() is (backend != "sqlite")


def test_token_check_of_a_read_keeps_its_transaction(app, world):
    with app.test_request_context("/api/hazards", method="GET", headers=world.headers["inspector"]):
        authenticate_secured_operations()
        assert db.session.in_transaction()
