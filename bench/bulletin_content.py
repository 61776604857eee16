"""Content for the bulletin benchmark: synthetic report figures of a given size, and the same content as HTML.

The HTML is what WeasyPrint renders as the baseline: the same title, paragraphs, tables (header repeated on each
page), annexes and page marks, the same embedded font, and the two charts as inline SVG.
"""

import random
from datetime import date, timedelta
from html import escape

from reportlab.pdfbase import pdfmetrics

from inspect_service.documents.pdf.bulletin import percent, values, wording
from inspect_service.documents.pdf.fonts import register_fonts
from inspect_service.reports.figures import (
    DEFAULT_WEIGHTS,
    ESCALATION_TYPES,
    NOTICE_KINDS,
    Coverage,
    EnterpriseRank,
    LiaisonRank,
    MajorItem,
    MajorSummary,
    OverdueItem,
    ReportMetrics,
    SelfCheckSummary,
    Tally,
    Window,
    enterprise_formula,
)
from inspect_service.reports.figures import liaison_formula as liaison_formula_text

WORDS = "安全出口被货物堵塞消防通道占用配电箱未接地气瓶未固定有限空间未设警示标识粉尘清扫不及时叉车司机无证操作"


def _text(rng: random.Random, low: int, high: int) -> str:
    start = rng.randrange(len(WORDS) - 8)
    body = (WORDS[start:] + WORDS)[: rng.randint(low, high)]
    return body + "，" + WORDS[: rng.randint(4, 12)] + "。"


def _tallies(rng: random.Random, keys) -> tuple[Tally, ...]:
    out = []
    for key in keys:
        found = rng.randint(50, 2000)
        done = rng.randint(0, found)
        out.append(Tally(str(key), found, done, found))
    return tuple(out)


def synthetic_metrics(rows: int, seed: int = 7) -> ReportMetrics:
    """Figures of a park whose bulletin lists `rows` overdue hazards (and rows/10 major ones) in its annexes."""
    rng = random.Random(seed)
    tpl = wording("supervision_bulletin")  # its label keys are the domains and sources
    end = date(2026, 9, 10)
    enterprises = [f"示例{n:03d}化工有限公司" for n in range(200)]
    officers = [f"蹲点干部{n:02d}" for n in range(20)]
    overdue = tuple(
        OverdueItem(rng.choice(enterprises), f"YH-2026-{n:06d}", _text(rng, 8, 40), "general",
                    end - timedelta(days=rng.randint(1, 80)), rng.randint(1, 80), rng.choice(officers))
        for n in range(rows)
    )  # fmt: skip
    majors = tuple(
        MajorItem(rng.choice(enterprises), f"ZD-2026-{n:05d}", _text(rng, 10, 50), "rectifying",
                  end + timedelta(days=30), False, rng.random() < 0.3, False)
        for n in range(rows // 10)
    )  # fmt: skip
    ranking = tuple(
        EnterpriseRank(None, name, rng.randint(0, 30), rng.randint(0, 3), rng.randint(0, 4), rng.randint(0, 5),
                       rng.randint(0, 2), float(rng.randint(0, 150)))
        for name in enterprises
    )  # fmt: skip
    liaisons = tuple(
        LiaisonRank(None, name, 10, rng.randint(0, 10), rng.randint(0, 40), 12, rng.uniform(1, 9), 10, 8,
                    rng.uniform(-50, 100))
        for name in officers
    )  # fmt: skip
    by_level = _tallies(rng, ("general", "major"))
    total = Tally("total", sum(t.found for t in by_level), sum(t.rectified for t in by_level),
                  sum(t.denominator for t in by_level))  # fmt: skip
    window = Window(None, "示范化工园区", "示范园", "Asia/Shanghai", date(2026, 6, 20), end, "all",
                    campaign_name="2026年安全生产大检查")  # fmt: skip
    return ReportMetrics(
        window=window, coverage=Coverage(200, 180, 420, 400, 360), total=total, by_level=by_level,
        by_source=_tallies(rng, tpl["sources"]), by_domain=_tallies(rng, list(tpl["domains"])[:10]),
        by_class=_tallies(rng, (1, 2, 3)),
        overdue=overdue, majors=MajorSummary(len(majors), 0, 30, 0, len(majors)), major_list=majors,
        escalations=tuple((k, rng.randint(0, 9)) for k in ESCALATION_TYPES),
        notices=tuple((k, rng.randint(0, 900)) for k in NOTICE_KINDS),
        documents=(("notice.park", 420), ("recheck_opinion", 310), ("inspection_record", 400)),
        self_checks=SelfCheckSummary(600, 540, 40, 20),
        enterprise_ranking=tuple(sorted(ranking, key=lambda r: -r.score)),
        liaison_ranking=tuple(sorted(liaisons, key=lambda r: -r.score)),
        enterprise_formula=enterprise_formula(DEFAULT_WEIGHTS), liaison_formula=liaison_formula_text(DEFAULT_WEIGHTS),
    )  # fmt: skip


def _table(header, rows) -> str:
    head = "".join(f"<th>{escape(str(h))}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(str(c))}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _bars(tallies) -> str:
    top = max((t.found for t in tallies), default=1) or 1
    parts, x = [], 10
    for t in tallies:
        for value, grey in ((t.found, "#333"), (t.rectified, "#bbb")):
            height = 160 * value / top
            parts.append(f'<rect x="{x}" y="{180 - height}" width="14" height="{height}" fill="{grey}" stroke="#000"/>')
            x += 15
        parts.append(f'<text x="{x - 30}" y="195" font-size="7">{escape(t.key)}</text>')
        x += 12
    return f'<svg width="480" height="200" xmlns="http://www.w3.org/2000/svg">{"".join(parts)}</svg>'


def bulletin_html(m: ReportMetrics) -> str:
    """The bulletin as one HTML document for WeasyPrint, with the same embedded font as the ReportLab renderer."""
    tpl = wording("supervision_bulletin")
    vals = values(m, tpl)
    regular = pdfmetrics.getFont(register_fonts().regular).face.filename

    def tally_rows(tallies, names):
        return [[names(t.key), t.found, t.rectified, t.denominator, percent(t.rate)] for t in tallies]

    overdue = [[i, o.enterprise, o.hazard_no, o.description, o.deadline, o.days_overdue, o.liaison_officer]
               for i, o in enumerate(m.overdue, 1)]  # fmt: skip
    majors = [[i, h.enterprise, h.hazard_no, h.description, h.status, h.deadline, "是" if h.is_listed else "否"]
              for i, h in enumerate(m.major_list, 1)]  # fmt: skip
    ranking = [[i, r.enterprise, r.overdue, r.false_closures, r.open_majors, r.late_replies, r.refusals, r.score]
               for i, r in enumerate(m.enterprise_ranking[:10], 1)]  # fmt: skip
    sections = [
        f"<h1>{escape(tpl['title'])}</h1><p class=c>{escape(vals['park_name'] + vals['campaign'])}</p>",
        f"<h2>{tpl['sections']['overview']}</h2><p>{escape(tpl['overview'].format(**vals))}</p>",
        f"<h2>{tpl['sections']['hazards']}</h2>",
        _table(tpl["tally_columns"], tally_rows(m.by_level, lambda k: tpl["levels"][k])),
        _table(tpl["tally_columns"], tally_rows(m.by_source, lambda k: tpl["sources"][k])),
        _table(tpl["tally_columns"], tally_rows(m.by_domain, lambda k: tpl["domains"][k])),
        _bars(m.by_domain),
        f"<h2>{tpl['sections']['problems']}</h2>",
        _table(tpl["enterprise_columns"], ranking),
        f"<h2 class=annex>{tpl['annexes']['overdue']}</h2>",
        _table(tpl["overdue_columns"], overdue),
        f"<h2>{tpl['annexes']['major']}</h2>",
        _table(tpl["major_columns"], majors),
    ]
    style = f"""
      @font-face {{ font-family: NotoSC; src: url("file://{regular}"); }}
      @page {{ size: A4; margin: 20mm;
        @top-left {{ content: "督查通报"; font: 8.5pt NotoSC; }}
        @top-right {{ content: "{escape(tpl["reference"].format(**vals))}"; font: 8.5pt NotoSC; }}
        @bottom-center {{ content: "第 " counter(page) " 页 / 共 " counter(pages) " 页"; font: 8.5pt NotoSC; }} }}
      body {{ font-family: NotoSC; font-size: 11pt; }} h1 {{ text-align: center; font-size: 20pt; }}
      .c {{ text-align: center; }} .annex {{ break-before: page; }}
      table {{ border-collapse: collapse; width: 100%; font-size: 8.5pt; margin: 4pt 0; }}
      th, td {{ border: 0.5pt solid #000; padding: 2pt 3pt; vertical-align: top; }} th {{ background: #e0e0e0; }}
      thead {{ display: table-header-group; }} tr {{ break-inside: avoid; }}
    """
    return (
        f"<!doctype html><html lang=zh><head><meta charset=utf-8><style>{style}</style></head><body>"
        + "".join(sections)
        + "</body></html>"
    )
