"""The check-item library and the templates answer a content ETag, and 304 with no body while it is current."""

import pytest

from tests.checklists.factories import make_check_item, make_template

LISTS = ("/api/check-items?limit=200", "/api/checklist-templates?limit=200")


@pytest.fixture
def rows(session, world):
    items = [make_check_item(session) for _ in range(3)] + [make_check_item(session, world.park)]
    make_template(session, world.park, world.user("park_manager"), items)
    session.commit()
    return items


@pytest.mark.parametrize("url", LISTS)
def test_a_matching_if_none_match_is_304_with_no_body(client, world, rows, url):
    headers = world.headers["inspector"]
    first = client.get(url, headers=headers)
    etag = first.headers["ETag"]
    assert first.status_code == 200 and etag.startswith('"') and not etag.startswith("W/")
    assert client.get(url, headers=headers).headers["ETag"] == etag  # from the content: stable
    again = client.get(url, headers={**headers, "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b"" and again.headers["ETag"] == etag
    weak = client.get(url, headers={**headers, "If-None-Match": f'"other", W/{etag}'})
    assert weak.status_code == 304  # If-None-Match compares weakly: a gzip answer's W/ form matches
    stale = client.get(url, headers={**headers, "If-None-Match": '"0123"'})
    assert stale.status_code == 200 and stale.json == first.json


def test_the_etag_changes_with_the_content_and_the_query(client, session, world, rows):
    headers = world.headers["inspector"]
    before = client.get(LISTS[0], headers=headers).headers["ETag"]
    assert client.get("/api/check-items?limit=2", headers=headers).headers["ETag"] != before
    rows[0].text = "改过的检查项"
    session.add(rows[0])
    session.commit()
    changed = client.get(LISTS[0], headers={**headers, "If-None-Match": before})
    assert changed.status_code == 200 and changed.headers["ETag"] != before
    assert "改过的检查项" in {item["text"] for item in changed.json["items"]}


def test_callers_who_see_different_items_get_different_etags(client, world, rows):
    own = client.get(LISTS[0], headers=world.headers["inspector"])
    foreign = client.get(LISTS[0], headers={**world.headers["foreign_officer"], "If-None-Match": own.headers["ETag"]})
    assert foreign.status_code == 200 and len(foreign.json["items"]) == len(own.json["items"]) - 1
