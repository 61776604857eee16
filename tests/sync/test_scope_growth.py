"""A portfolio that grows tells the officer's phones to bootstrap again; one that shrinks removes what left."""

from inspect_service.sync import changes as changes_service
from tests.enterprises.factories import make_enterprise
from tests.hazards.factories import actor_of as _actor
from tests.users.factories import make_user


def _portfolio(client, world, user, enterprises):
    return client.put(
        f"/api/users/{user.id}/portfolio",
        json={"enterprise_ids": [str(e.id) for e in enterprises]},
        headers=world.headers["park_manager"],
    )


def test_added_enterprises_make_the_liaisons_feed_say_resync_and_removed_ones_remove(client, session, world):
    first, second = make_enterprise(session, world.park), make_enterprise(session, world.park)
    liaison = make_user(session, role="inspector", park=world.park, inspector_kind="liaison_officer", portfolio=[first])
    bystander = make_user(session, role="inspector", park=world.park, inspector_kind="liaison_officer")
    session.commit()
    cursor = changes_service.changes(session=session, actor=_actor(session, liaison), cursor=None, limit=500)
    start = cursor["next_cursor"]

    assert _portfolio(client, world, liaison, [first, second]).status_code == 200
    feed = changes_service.changes(session=session, actor=_actor(session, liaison), cursor=start, limit=500)
    assert [(i["entity"], i["op"]) for i in feed["items"] if i["op"] == "resync"] == [("scope", "resync")]
    others = changes_service.changes(session=session, actor=_actor(session, bystander), cursor=start, limit=500)
    assert not [i for i in others["items"] if i["op"] == "resync"]  # only the officer whose scope grew

    assert _portfolio(client, world, liaison, [second]).status_code == 200
    feed = changes_service.changes(
        session=session, actor=_actor(session, liaison), cursor=feed["next_cursor"], limit=500
    )
    assert ("enterprise", first.id, "remove") in {(i["entity"], i["id"], i["op"]) for i in feed["items"]}
    assert not [i for i in feed["items"] if i["op"] == "resync"]  # shrinking alone needs no new bootstrap
