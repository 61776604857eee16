"""The bulletin as PDF (text in Chinese, page 1 renders) and as an Excel workbook with the same figures."""

import io
from datetime import date

import openpyxl
import pypdfium2
import pytest
from pypdf import PdfReader

from inspect_service.documents.pdf.bulletin import BulletinView, percent, render_bulletin
from inspect_service.reports import metrics, workbook
from tests.reports.factories import TODAY, seed_campaign


@pytest.fixture
def figures(session):
    seed = seed_campaign(session, denominator="due")
    return metrics.compute(session, seed.park, campaign_id=seed.campaign.id, today=TODAY)


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages).replace(" ", "")


def test_bulletin_pdf_carries_title_figures_and_annexes_in_chinese(figures):
    pdf = render_bulletin(BulletinView(metrics=figures))
    text = _text(pdf)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert "安全生产督查通报" in text
    assert "统计期间：2026年6月20日至2026年8月25日" in text
    assert f"共排查事故隐患{figures.total.found}项" in text
    assert f"已整改{figures.total.rectified}项，整改率{percent(figures.total.rate)}" in text
    assert "应整改数" in text, "the denominator the park chose is printed"
    assert f"逾期未整改隐患{len(figures.overdue)}项" in text
    assert "附件1逾期未整改隐患清单" in text and "附件2重大隐患清单" in text
    for item in figures.overdue:
        assert item.hazard_no in text
    assert figures.enterprise_ranking[0].enterprise in text
    assert "得分=逾期隐患数×3" in text
    joined = text.replace("\n", "")  # the total is a form drawn once at the end: extracted as its own line
    assert f"第1页/共{pages}页" in joined and f"第{pages}页/共{pages}页" in joined


def test_progress_report_uses_its_own_wording(figures):
    text = _text(render_bulletin(BulletinView(metrics=figures, kind="progress_report")))
    assert "安全生产大检查工作进度报告" in text
    assert "安全生产督查通报" not in text


def test_page_one_renders_to_an_image(figures):
    document = pypdfium2.PdfDocument(render_bulletin(BulletinView(metrics=figures)))
    try:
        image = document[0].render(scale=1).to_pil()
    finally:
        document.close()
    assert abs(image.size[0] - 595) <= 1 and abs(image.size[1] - 842) <= 1  # A4 at 72 dpi
    assert image.convert("L").getextrema()[0] < 50, "something dark was drawn"


def test_user_text_renders_literally(session):
    seed = seed_campaign(session, hazards=30)
    seed.enterprises[0].name = '<b>粗体</b>&amp;=HYPERLINK("x")'
    for hazard in seed.hazards:
        hazard.description = "<font color=red>红</font>" + "很长的描述" * 40
    session.add_all([seed.enterprises[0], *seed.hazards])
    session.flush()
    figures = metrics.compute(session, seed.park, campaign_id=seed.campaign.id, today=TODAY)
    assert figures.overdue
    text = _text(render_bulletin(BulletinView(metrics=figures)))
    assert "<fontcolor=red>红</font>" in text


def test_workbook_holds_the_same_tables(figures):
    book = openpyxl.load_workbook(io.BytesIO(workbook.write_workbook(figures)))
    assert book.sheetnames[:2] == ["概况", "按等级"]
    summary = dict(book["概况"].iter_rows(min_row=2, values_only=True))
    assert summary["排查隐患（项）"] == figures.total.found
    assert summary["已整改（项）"] == figures.total.rectified
    assert summary["应整改（项）"] == figures.total.denominator
    assert summary["整改率"] == percent(figures.total.rate)
    levels = list(book["按等级"].iter_rows(min_row=2, values_only=True))
    assert [(r[0], r[1], r[2]) for r in levels] == [
        ({"general": "一般隐患", "major": "重大隐患"}[t.key], t.found, t.rectified) for t in figures.by_level
    ]
    overdue = list(book["逾期未整改"].iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in overdue] == [o.hazard_no for o in figures.overdue]
    assert [r[5] for r in overdue] == [o.days_overdue for o in figures.overdue]
    ranking = list(book["企业排名"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in ranking] == [r.enterprise for r in figures.enterprise_ranking]


def test_workbook_quotes_text_a_spreadsheet_would_run(session):
    seed = seed_campaign(session, hazards=30)
    for hazard in seed.hazards:
        hazard.description = '=HYPERLINK("http://evil","x")'
    session.add_all(seed.hazards)
    session.flush()
    figures = metrics.compute(session, seed.park, campaign_id=seed.campaign.id, today=date(2026, 8, 25))
    book = openpyxl.load_workbook(io.BytesIO(workbook.write_workbook(figures)))
    cells = [r[3] for r in book["逾期未整改"].iter_rows(min_row=2, values_only=True)]
    assert cells and all(cell.startswith("'=") for cell in cells)


def test_long_cells_wrap_to_the_column_and_punctuation_never_opens_a_line():
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from inspect_service.documents.pdf.fonts import register_fonts
    from inspect_service.documents.pdf.longtable import FONT_SIZE, wrap_text

    font = register_fonts().regular
    text = "安全出口被货物堵塞，消防通道占用；配电箱未接地。" * 6 + "<b>&amp;</b>\x07"
    lines = wrap_text(text, 100).split("\n")
    assert len(lines) > 5
    assert "".join(lines) == text.replace("\x07", "")
    for line in lines:
        assert stringWidth(line, font, FONT_SIZE) <= 100 or len(line) == 1
        assert line[0] not in "，；。：？！"


def test_a_long_annex_spans_pages_with_its_header_and_page_marks_on_each(figures):
    from dataclasses import replace

    item = figures.overdue[0]
    many = tuple(replace(item, hazard_no=f"YH-9999-{n:06d}", description="长描述" * (n % 30)) for n in range(900))
    pdf = render_bulletin(BulletinView(metrics=replace(figures, overdue=many)))
    reader = PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    assert total > 30
    texts = [page.extract_text().replace(" ", "").replace("\n", "") for page in reader.pages]
    annex = [i for i, text in enumerate(texts) if "YH-9999-" in text]
    assert len(annex) > 20
    for i in annex:
        assert "隐患编号" in texts[i] and "逾期天数" in texts[i], f"header repeated on page {i + 1}"
    for i, text in enumerate(texts, start=1):
        assert f"第{i}页/共{total}页" in text
    numbers = "".join(texts)
    assert all(f"YH-9999-{n:06d}" in numbers for n in range(900))
