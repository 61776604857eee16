"""Renderers: pure view-model in, PDF out; Chinese text that extracts, wraps and pages correctly."""

import re

import pytest
from reportlab.pdfbase import pdfmetrics

from inspect_service.documents.pdf import fonts
from inspect_service.documents.pdf.render import render
from inspect_service.documents.pdf.views import from_json, to_json
from tests.documents import views
from tests.documents.pdftext import first_page_png, flat, ink_ratio, pages_text

VARIANT_CLAUSES = {
    "park": ["限期整改意见书", "经查，你单位存在下列问题：", "其中事故隐患第2项属于重大隐患。",
             "逾期不整改或达不到要求的，将依法上报", "证号：ZF-3302-0001", "一式二份"],
    "third_party": ["隐患整改意见书", "我们受XX园区管委会委托", "现提出如下整改要求：", "（一）第3项应立即整改",
                    "于所列期限前整改完毕", "（三）第2项属于重大隐患", "一式三份"],
    "enforcement": ["安全生产行政执法文书", "责令限期整改指令书", "现责令你单位对上述第1、2、3项问题",
                    "整改期间，你单位应当采取措施，确保安全生产。", "60日内向XX区人民政府申请行政复议",
                    "6个月内依法向XX区人民法院提起行政诉讼", "本指令不停止执行", "证号：ZF-3302-0002", "一式两份"],
}  # fmt: skip
SAMPLES = views.SAMPLES


@pytest.mark.parametrize("variant", sorted(VARIANT_CLAUSES))
def test_notice_text_has_title_number_enterprise_items_and_variant_clauses(variant):
    text = flat(render(views.notice(variant)))
    for expected in VARIANT_CLAUSES[variant]:
        assert expected in text, expected
    for expected in ("（XX园）安整〔2026〕0007号", views.ENTERPRISE, "2026年12月2日", "2026年12月3日", "立即整改"):
        assert expected in text
    for item in views.notice_items():
        assert item.description in text
    other_titles = [clauses[0] for v, clauses in VARIANT_CLAUSES.items() if v not in (variant, "enforcement")]
    assert not any(title in text for title in other_titles)  # no other variant's title


def test_recheck_opinion_cites_the_notice_and_splits_passed_from_failed():
    text = flat(render(views.recheck()))
    assert "整改复查意见书" in text and "（XX园）复查〔2026〕0003号" in text
    assert "2026年11月22日作出了责令你单位限期整改的决定（（XX园）安整〔2026〕0007号）" in text
    passed, failed = text.split("以下隐患已整改合格：")[1].split("以下隐患未整改合格")
    assert "安全出口被货物堵塞" in passed and "配电箱未接地" not in passed
    assert "配电箱未接地" in failed and "应于2027年1月15日前整改完毕" in failed


def test_inspection_record_has_times_to_the_minute_and_both_signatures():
    text = flat(render(views.record()))
    assert "现场检查记录" in text and "2026年11月22日9时05分至2026年11月22日11时40分" in text
    assert "经检查，以下检查项存在隐患：" in text and "二号车间安全出口堵塞" in text
    assert "以下检查项符合要求：" in text and "FI02消防设施定期检测" in text
    assert "检查人员：王建国（证号：ZF-3302-0001）" in text and "现场负责人：孙立新安全主管" in text
    assert "拒绝签字" not in text


def test_inspection_record_records_a_refusal_instead_of_the_signature():
    text = flat(render(views.record(refused=True)))
    assert "现场负责人孙立新拒绝签字" in text and "现场负责人：孙立新" not in text


def test_receipt_plan_and_statistics_carry_their_content():
    receipt = flat(render(views.receipt()))
    assert "送达回执" in receipt and "于2026年11月22日15时30分收到" in receipt and "直接送达" in receipt
    plan = flat(render(views.plan()))
    for heading in ("一、治理的目标和任务", "六、安全措施和应急预案", "2027年3月31日", "液氨储罐未设置紧急切断装置"):
        assert heading in plan
    stats = flat(render(views.statistics()))
    assert "2026年第3季度" in stats and "2026年10月15日" in stats and "75.0%" in stats and "1200.50" in stats


@pytest.mark.parametrize("doc_type", sorted(SAMPLES))
def test_every_page_carries_number_and_page_x_of_y_and_page_one_renders(doc_type):
    view = SAMPLES[doc_type]()
    data = render(view)
    pages = pages_text(data)
    for n, page in enumerate(pages, 1):
        assert view.header.number in page and f"第 {n} 页 / 共 {len(pages)} 页" in page
    image = first_page_png(data)
    assert abs(image.width / image.height - 210 / 297) < 0.01  # A4 portrait
    assert ink_ratio(image) > 0.01


def test_markup_long_and_rare_text_is_rendered_literally_and_wrapped():
    nasty = '<b>加粗</b> <font color="red">红</font> &amp; <br/> 㛃 䶮 ' + "超长描述" * 1000
    data = render(views.notice(items=views.notice_items(1, description=nasty)))
    text = flat(data)
    assert '<b>加粗</b><fontcolor="red">红</font>&amp;<br/>㛃䶮' in text  # markup printed, not interpreted
    assert text.count("超") == 1000  # nothing clipped: the long cell wrapped across pages
    assert len(pages_text(data)) >= 2
    face = pdfmetrics.getFont(fonts.register_fonts().regular).face
    assert all(ord(ch) in face.charToGlyph for ch in "㛃䶮")  # real glyphs, not blank boxes


def test_sixty_hazard_notice_spans_pages_with_header_and_numbering():
    data = render(views.notice(items=views.notice_items(60)))
    pages = pages_text(data)
    assert len(pages) >= 3
    for n, page in enumerate(pages, 1):
        assert "（XX园）安整〔2026〕0007号" in page and f"第 {n} 页 / 共 {len(pages)} 页" in page
    if len(pages) > 1:
        assert all("隐患编号" in page for page in pages[:-1])  # the table header repeats
    text = flat(data)
    assert all(f"YH-2026-{n:06d}" in text for n in range(1, 61))


def test_rendering_is_deterministic_and_survives_the_json_round_trip():
    view = views.notice("enforcement")
    again = from_json("notice", to_json(view))
    assert again == view
    assert render(again) == render(view)


def test_line_never_starts_with_a_full_width_comma():
    data = render(views.notice(items=views.notice_items(1, description="检查发现，" * 300)))
    lines = [line.strip() for page in pages_text(data) for line in page.splitlines()]
    assert not [line for line in lines if re.match(r"^[，；：？！]", line)]


def test_a_template_override_directory_changes_the_wording(tmp_path):
    (tmp_path / "notice.yaml").write_text('variants:\n  park:\n    title: "整改通知单"\n', encoding="utf-8")
    text = flat(render(views.notice("park"), templates_dir=str(tmp_path)))
    assert "整改通知单" in text and "限期整改意见书" not in text
    assert "经查，你单位存在下列问题：" in text  # keys not overridden keep the shipped wording
