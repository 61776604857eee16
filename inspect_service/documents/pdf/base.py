"""The A4 page every document shares: number and 第 x 页 / 共 y 页 on each page, styles, escaping, tables."""

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from xml.sax.saxutils import escape as _xml_escape

from reportlab.graphics.barcode.qr import QrCode
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from inspect_service.documents.pdf.fonts import register_fonts

PAGE_SIZE = A4
MARGIN = 20 * mm
FRAME_WIDTH = PAGE_SIZE[0] - 2 * MARGIN
GRID_GREY = colors.Color(0.88, 0.88, 0.88)  # header shading that survives black-and-white printing
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def escape(text) -> str:
    """Make user text literal inside a Paragraph: markup escaped, line breaks kept, control characters dropped."""
    value = _CONTROL.sub("", "" if text is None else str(text))
    return _xml_escape(value).replace("\r\n", "\n").replace("\n", "<br/>")


@cache
def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles in black on white, CJK wrapping, sized for A4."""
    fonts = register_fonts()
    base = ParagraphStyle("body", fontName=fonts.regular, fontSize=11, leading=17, wordWrap="CJK")
    return {
        "body": base,
        "indent": ParagraphStyle("indent", parent=base, firstLineIndent=22),
        "small": ParagraphStyle("small", parent=base, fontSize=9, leading=13),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9.5, leading=13),
        "cell_bold": ParagraphStyle("cell_bold", parent=base, fontName=fonts.bold, fontSize=9.5, leading=13),
        "letterhead": ParagraphStyle(
            "letterhead", parent=base, fontName=fonts.bold, fontSize=15, leading=22, alignment=TA_CENTER
        ),
        "title": ParagraphStyle(
            "title", parent=base, fontName=fonts.bold, fontSize=20, leading=28, alignment=TA_CENTER, spaceAfter=4
        ),
        "number": ParagraphStyle("number", parent=base, alignment=TA_CENTER, spaceAfter=8),
        "heading": ParagraphStyle("heading", parent=base, fontName=fonts.bold, fontSize=12, leading=18, spaceBefore=6),
        "right": ParagraphStyle("right", parent=base, alignment=TA_RIGHT),
    }


def para(text, style: str = "body") -> Paragraph:
    """A paragraph of user text, rendered literally."""
    return Paragraph(escape(text), styles()[style])


def markup(trusted: str, style: str = "body") -> Paragraph:
    """A paragraph whose markup the renderer built itself (every user value already escaped)."""
    return Paragraph(trusted, styles()[style])


def spacer(height_mm: float = 4) -> Spacer:
    """Vertical space."""
    return Spacer(1, height_mm * mm)


def table_style(commands: list) -> TableStyle:
    """A table style whose default font is the embedded face (ReportLab's default would reference Helvetica)."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), register_fonts().regular), *commands])


def grid_table(
    header: Sequence[str], rows: Iterable[Sequence], col_widths: Sequence[float], *, repeat_header: bool = True
) -> Table:
    """A ruled table of literal text: bold shaded header repeated on each page, wrapping cells."""
    data = [[para(h, "cell_bold") for h in header]]
    data += [[c if isinstance(c, Flowable) else para(c, "cell") for c in row] for row in rows]
    table = Table(
        data, colWidths=[w * FRAME_WIDTH for w in col_widths], repeatRows=1 if repeat_header else 0, splitInRow=1
    )
    table.setStyle(
        table_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), GRID_GREY),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def field_table(pairs: Sequence[tuple[str, object]], *, label_width: float = 0.22) -> Table:
    """Label / value rows (受检单位 …), ruled, labels bold."""
    data = [[para(label, "cell_bold"), para(value, "cell")] for label, value in pairs]
    table = Table(data, colWidths=[label_width * FRAME_WIDTH, (1 - label_width) * FRAME_WIDTH], splitInRow=1)
    table.setStyle(
        table_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
                ("BACKGROUND", (0, 0), (0, -1), GRID_GREY),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ]
        )
    )
    return table


def signature_table(signers: Sequence[tuple[str, str]], *, columns: int = 2) -> Table:
    """Signature lines: (label, printed text) pairs laid out in columns, with room to sign."""
    cells = [markup(f"{escape(label)}：{escape(value)}<br/><br/>（签名）", "cell") for label, value in signers]
    while len(cells) % columns:
        cells.append("")
    rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    table = Table(rows, colWidths=[FRAME_WIDTH / columns] * columns)
    table.setStyle(table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("TOPPADDING", (0, 0), (-1, -1), 8)]))
    return table


def qr_code(value: str, size_mm: float = 26) -> Flowable:
    """A QR code of `value`, drawn straight onto the page (encoded locally, nothing fetched)."""
    size = size_mm * mm
    return QrCode(value, width=size, height=size, qrLevel="M", qrBorder=2)


@dataclass(frozen=True)
class PageMarks:
    """What every page carries: the document number and a running title."""

    number: str
    title: str


def _numbered_canvas(marks: PageMarks):
    """A canvas class that holds pages back until the total is known, then marks each one."""
    fonts = register_fonts()

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for page in self._pages:
                self.__dict__.update(page)
                self._mark(total)
                super().showPage()
            super().save()

        def _mark(self, total: int) -> None:
            width, height = PAGE_SIZE
            self.saveState()
            self.setFillColor(colors.black)
            self.setFont(fonts.regular, 8.5)
            self.drawString(MARGIN, height - 12 * mm, marks.title)
            self.drawRightString(width - MARGIN, height - 12 * mm, marks.number)
            self.setLineWidth(0.4)
            self.line(MARGIN, height - 13.5 * mm, width - MARGIN, height - 13.5 * mm)
            self.drawCentredString(width / 2, 10 * mm, f"第 {self._pageNumber} 页 / 共 {total} 页")
            self.restoreState()

    return NumberedCanvas


def a4_document(buffer, marks: PageMarks, *, subject: str = "", author: str = "") -> SimpleDocTemplate:
    """The A4 template every document is laid out on (margins, metadata, deterministic output, CJK font)."""
    return SimpleDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=f"{marks.title} {marks.number}",
        subject=subject,
        author=author,
        creator="inspect_service",
        invariant=1,
        initialFontName=register_fonts().regular,  # no reference to a non-embedded base-14 font
    )


def build_pdf(story: list, marks: PageMarks, *, subject: str = "", author: str = "") -> bytes:
    """Lay out `story` on A4 pages carrying `marks`; the same input always gives the same bytes."""
    buffer = io.BytesIO()
    doc = a4_document(buffer, marks, subject=subject, author=author)
    doc.build(story, canvasmaker=_numbered_canvas(marks))
    return buffer.getvalue()
