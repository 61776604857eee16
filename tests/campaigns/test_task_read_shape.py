"""Tasks as read: where to go (the enterprise's name, address and position), joined in, not queried per task."""

from tests.campaigns.factories import make_task
from tests.enterprises.factories import make_enterprise
from tests.querycount import statements

PLACE = {"address": "杭州市钱塘区纬十路 88 号", "latitude": 30.3012, "longitude": 120.4321}


def test_a_task_says_where_its_enterprise_is(client, session, world):
    for name, value in PLACE.items():
        setattr(world.own, name, value)
    session.add(world.own)
    task = make_task(session, world.park, world.own)
    bulletin = make_task(session, world.park, None, kind="supervision_bulletin")
    session.commit()
    headers = world.headers["park_manager"]
    fetched = client.get(f"/api/tasks/{task.id}", headers=headers).json
    expected = {
        "enterprise_name": world.own.name,
        "enterprise_address": PLACE["address"],
        "enterprise_latitude": PLACE["latitude"],
        "enterprise_longitude": PLACE["longitude"],
    }
    assert {key: fetched[key] for key in expected} == expected
    listed = {item["id"]: item for item in client.get("/api/tasks", headers=headers).json["items"]}
    assert {key: listed[str(task.id)][key] for key in expected} == expected
    assert {key: listed[str(bulletin.id)][key] for key in expected} == dict.fromkeys(expected)


def test_task_listing_statements_do_not_grow_with_the_number_of_tasks(client, session, world):
    headers = world.headers["park_manager"]
    for _ in range(2):
        make_task(session, world.park, make_enterprise(session, world.park))
    session.commit()
    with statements() as few:
        assert len(client.get("/api/tasks?limit=50", headers=headers).json["items"]) == 2
    for _ in range(7):
        make_task(session, world.park, make_enterprise(session, world.park, address="某路 1 号"))
    session.commit()
    with statements() as many:
        items = client.get("/api/tasks?limit=50", headers=headers).json["items"]
    assert len(items) == 9 and all(item["enterprise_name"] for item in items)
    assert len(many) == len(few)
