"""Park settings the phone reads: default rectification deadlines by level, bounded."""

import pytest


def _patch(client, world, settings: dict):
    headers = dict(world.headers["admin"])
    current = client.get(f"/api/parks/{world.park.id}", headers=headers)
    headers["If-Match"] = current.headers["ETag"]
    return client.patch(f"/api/parks/{world.park.id}", json={"settings": settings}, headers=headers)


def test_a_park_sets_its_default_deadlines_and_its_users_read_them(client, world):
    response = _patch(client, world, {"hazard_deadline_days": {"general": 10, "major": 45}})
    assert response.status_code == 200, response.get_json()
    officer = client.get(f"/api/parks/{world.park.id}", headers=world.headers["enterprise_safety_officer"])
    assert officer.get_json()["settings"]["hazard_deadline_days"] == {"general": 10, "major": 45}


@pytest.mark.parametrize(
    "value", [{"general": -1}, {"major": 731}, {"general": "7"}, {"minor": 3}, [7, 30], {"general": 1.5}]
)
def test_bad_default_deadlines_are_refused_with_a_field_error(client, world, value):
    response = _patch(client, world, {"hazard_deadline_days": value})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert "hazard_deadline_days" in response.get_json()["errors"]["settings"]
