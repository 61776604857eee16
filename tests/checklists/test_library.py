"""The national library file: every DOMAIN.md §7 item, in Chinese, loaded idempotently."""

import re

import pytest
from sqlalchemy.exc import IntegrityError
from sqlmodel import func, select

from inspect_service import demo
from inspect_service.checklists import library
from inspect_service.checklists.models import CheckItem
from tests.checklists.factories import make_check_item

# DOMAIN.md §7, domain by domain: code prefix and number of items.
SECTION_7 = {
    "basic_mgmt": ("BM", 11),
    "hazchem": ("HC", 10),
    "fire": ("FI", 9),
    "special_equipment": ("SE", 8),
    "construction": ("CN", 7),
    "electrical": ("EL", 7),
    "confined_space": ("CS", 7),
    "combustible_dust": ("CD", 8),
    "occupational_health": ("OH", 7),
    "traffic": ("TR", 6),
}
EXPECTED_CODES = {f"{prefix}{n:02d}" for prefix, count in SECTION_7.values() for n in range(1, count + 1)}
STARRED = {
    *("BM01", "BM02", "BM05", "BM08"),
    *(f"HC{n:02d}" for n in range(1, 11)),
    *("FI03", "FI06", "SE04", "SE06", "SE07", "SE08", "CN01", "CN02", "CN03", "CN04"),
    *("EL01", "EL02", "EL03", "EL04", "CS01", "CS03", "CS04", "CS05"),
    *(f"CD{n:02d}" for n in range(1, 8)),
}
MARKED_V = {
    *("BM01", "HC09", "HC10", "FI03", "FI06", "CN02", "CN03", "CN04", "CN07", "EL05", "EL07"),
    *("CS01", "CS03", "CS04", "CS05", "CD08", "OH03", "OH04", "OH05", "OH06", "TR01", "TR02", "TR05", "TR06"),
}
HAN = re.compile(r"[\u4e00-\u9fff]")


def _items() -> dict[str, dict]:
    return {item["code"]: item for item in library.read_library().items}


def test_library_holds_exactly_the_80_items_of_domain_md():
    items = _items()
    assert len(library.read_library().items) == len(EXPECTED_CODES) == 80
    assert set(items) == EXPECTED_CODES
    for domain, (prefix, _count) in SECTION_7.items():
        assert {c for c, item in items.items() if item["domain"] == domain} == {
            c for c in EXPECTED_CODES if c.startswith(prefix)
        }


def test_domain_table_names_the_ten_domains_in_chinese():
    names = library.domain_names()
    assert list(names) == list(SECTION_7)
    assert names["hazchem"] == "危险化学品" and names["combustible_dust"] == "粉尘涉爆"
    assert all(HAN.search(name) for name in names.values())


def test_starred_items_carry_a_criterion_and_others_none():
    items = _items()
    assert {code for code, item in items.items() if item["major_criterion_ref"]} == STARRED
    assert items["HC06"]["major_criterion_ref"] == "化工判定标准第12项"
    assert items["FI03"]["major_criterion_ref"] == "GB 35181"
    assert items["BM05"]["major_criterion_ref"] == "工贸判定标准第三条第（二）项；化工判定标准第2项"
    criteria = library.read_library().criteria
    for code in STARRED:
        for ref in items[code]["major_criterion_ref"].split(library.REF_SEPARATOR):
            assert any(ref.startswith(name) for name in criteria), (code, ref)


def test_recalled_items_are_unverified():
    assert {code for code, item in _items().items() if not item["verified"]} == MARKED_V


def test_items_are_worded_in_chinese_with_a_citation_and_a_kind():
    for code, item in _items().items():
        assert len(HAN.findall(item["text"])) >= 8, code
        assert not re.search(r"[A-Za-z]{4,}", item["text"]), code  # no English left behind
        assert HAN.search(item["legal_basis"]), code
        assert item["kind"] in library.KINDS
    items = _items()
    assert items["FI03"]["text"] == "安全出口、疏散通道和消防车通道畅通，未被占用、堵塞、封闭"
    assert items["FI03"]["legal_basis"] == "《中华人民共和国消防法》第十六条第一款第（四）项、第二十八条"
    assert (items["FI07"]["kind"], items["FI03"]["kind"]) == ("management", "field")


def _library_count(session) -> int:
    return session.exec(select(func.count()).select_from(CheckItem).where(CheckItem.park_id.is_(None))).one()


def test_load_inserts_every_item_then_is_idempotent(session):
    first = library.load_library(session=session)
    assert (first.created, first.updated, first.unchanged) == (80, 0, 0)
    second = library.load_library(session=session)
    assert (second.created, second.updated, second.unchanged) == (0, 0, 80)
    assert _library_count(session) == 80
    stored = session.exec(select(CheckItem).where(CheckItem.code == "HC06", CheckItem.park_id.is_(None))).one()
    assert stored.major_criterion_ref == "化工判定标准第12项" and stored.created_by is None


def test_reload_restores_changed_items_by_code_and_keeps_others(session):
    library.load_library(session=session)
    item = session.exec(select(CheckItem).where(CheckItem.code == "FI03", CheckItem.park_id.is_(None))).one()
    item_id = item.id
    item.text, item.verified = "被改动的文字", True
    admin_item = CheckItem(code="ZZ99", domain="fire", kind="field", text="管理员新增的库检查项")
    session.add_all([item, admin_item])
    session.flush()
    result = library.load_library(session=session)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 79)
    session.refresh(item)
    assert (item.id, item.verified) == (item_id, False) and item.text.startswith("安全出口")
    assert _library_count(session) == 81  # nothing is deleted


@pytest.mark.parametrize(
    "mutate, message",
    [
        (lambda text: text.replace("code: HC02", "code: HC01"), "Code used twice"),
        (lambda text: text.replace("domain: traffic", "domain: shipping", 1), "Unknown domain"),
        (lambda text: text.replace("化工判定标准第3项", "某判定标准第3项"), "names no document"),
        (lambda text: text.replace("    kind: field\n", "    kind: outdoor\n", 1), "Must be one of"),
        (lambda text: text.replace("    verified: true\n", "", 1), "Missing data"),
        (lambda text: "items: [", "not a YAML mapping"),
    ],
)
def test_malformed_library_file_is_refused(mutate, message):
    source = library.LIBRARY_PATH.read_text(encoding="utf-8")
    with pytest.raises(library.LibraryError, match=message):
        library.parse(mutate(source))


def test_cli_load_reports_what_it_did(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["checklists", "load"])
    assert first.exit_code == 0, first.output
    assert "80 created, 0 updated, 0 unchanged" in first.output
    second = runner.invoke(args=["checklists", "load"])
    assert "0 created, 0 updated, 80 unchanged" in second.output


def test_demo_load_brings_the_library(app, session):
    with app.app_context():
        demo.load(session=session)
        demo.load(session=session)
    assert _library_count(session) == 80


@pytest.mark.parametrize("park_of", [lambda world: None, lambda world: world.park])
def test_database_refuses_a_second_item_with_the_same_code(session, world, park_of):
    park = park_of(world)
    make_check_item(session, park, code="DUP01")
    with pytest.raises(IntegrityError), session.begin_nested():
        make_check_item(session, park, code="DUP01")
    make_check_item(session, world.foreign_park, code="DUP01")  # another park, or library vs park: allowed
    make_check_item(session, None if park else world.park, code="DUP01")
