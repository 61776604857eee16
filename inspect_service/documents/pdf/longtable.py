"""Long documents at linear cost: tables of any length, and page x / y without holding every page in memory.

A Paragraph per cell and one Table of 10,000 rows cost quadratic time (every split re-measures the rest) and
hundreds of megabytes; here a cell is a string pre-broken to its column's width (CJK text breaks anywhere, with
ReportLab's no-line-start punctuation respected), and the rows become Tables of CHUNK_ROWS only as layout
reaches them. `build_long_pdf` is base.build_pdf with the same page marks, except that the total page count is
a form drawn once at the end, so pages are written as they are finished instead of kept until the count is known.
"""

import io
import zlib
from collections.abc import Callable, Sequence

from reportlab.lib import colors, textsplit
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfdoc
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Flowable, Table, TableStyle

from inspect_service.documents.pdf.base import FRAME_WIDTH, GRID_GREY, MARGIN, PAGE_SIZE, PageMarks, a4_document, para
from inspect_service.documents.pdf.fonts import register_fonts

CHUNK_ROWS = 60
FONT_SIZE = 8.5
LEADING = 11
PADDING = 3
_widths: dict[str, float] = {}


def _width(ch: str, font: str) -> float:
    width = _widths.get(ch)
    if width is None:
        width = _widths[ch] = stringWidth(ch, font, FONT_SIZE)
    return width


def wrap_text(value, width: float) -> str:
    """`value` as literal text broken into lines no wider than `width` points (control characters dropped)."""
    font = register_fonts().regular
    lines, line, used = [], [], 0.0
    for ch in str(value):
        if ch == "\n":
            lines.append("".join(line))
            line, used = [], 0.0
            continue
        if ch < " ":
            continue
        step = _width(ch, font)
        if line and used + step > width:
            carry = [line.pop()] if ch in textsplit.ALL_CANNOT_START and len(line) > 1 else []
            lines.append("".join(line))  # punctuation that cannot open a line takes the last character along
            line, used = carry, sum(_width(c, font) for c in carry)
        line.append(ch)
        used += step
    lines.append("".join(line))
    return "\n".join(lines)


def _style() -> TableStyle:
    return TableStyle(
        [
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (-1, 0), GRID_GREY),
            ("FONTNAME", (0, 0), (-1, -1), register_fonts().regular),
            ("FONTSIZE", (0, 0), (-1, -1), FONT_SIZE),
            ("LEADING", (0, 0), (-1, -1), LEADING),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
        ]
    )


class RowView(Sequence):
    """Table rows made from items only when a chunk of them is laid out (`to_row(index, item)` -> cells)."""

    def __init__(self, items: Sequence, to_row: Callable[[int, object], Sequence]):
        self.items, self.to_row = items, to_row

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.to_row(i, self.items[i]) for i in range(*index.indices(len(self.items)))]
        return self.to_row(index, self.items[index])


class LazyTable(Flowable):
    """Rows laid out CHUNK_ROWS at a time: it never fits whole, so layout splits it into the next chunk's Table
    (which splits across pages, repeating its header) and the rest, still lazy."""

    def __init__(self, header: Sequence[str], rows: Sequence[Sequence], widths: Sequence[float], start: int = 0):
        super().__init__()
        self.header, self.rows, self.widths, self.start = header, rows, widths, start

    def wrap(self, avail_width, avail_height):
        """Claim more than the space there is, so the frame asks for a split."""
        return avail_width, avail_height + 1

    def split(self, avail_width, avail_height):
        """What of the next chunk fits here (a Table, split if need be), then the remaining rows."""
        col_widths = [w * FRAME_WIDTH for w in self.widths]
        end = self.start + CHUNK_ROWS
        body = [
            [wrap_text(cell, width - 2 * PADDING) for cell, width in zip(row, col_widths, strict=True)]
            for row in self.rows[self.start : end]
        ]
        table = Table([[para(h, "cell_bold") for h in self.header], *body], colWidths=col_widths, repeatRows=1)
        table.setStyle(_style())
        parts = (
            [table]
            if table.wrap(avail_width, avail_height)[1] <= avail_height
            else table.split(avail_width, avail_height)
        )
        if not parts:  # not even the header and a row fit here: the frame moves on and asks again
            return []
        rest = [LazyTable(self.header, self.rows, self.widths, end)] if end < len(self.rows) else []
        return [*parts, *rest]

    def draw(self):
        """Never drawn itself: only its chunks are."""


TOTAL_FORM = "page_total"


def _compress_now(page, compression) -> None:
    """Deflate a finished page's content stream at once (ReportLab keeps it as text until save, ~25 KB a page).
    Flate alone: ReportLab's default adds ASCII85 on top, which only makes the file a quarter larger."""
    if not compression or not page.stream or page.Contents:
        return
    stream = page.stream.encode("utf8") if isinstance(page.stream, str) else page.stream
    contents = pdfdoc.PDFStream(
        pdfdoc.PDFDictionary({"Filter": pdfdoc.PDFArray([pdfdoc.PDFName("FlateDecode")])}), zlib.compress(stream)
    )
    contents.__Comment__ = "page stream"
    page.Contents, page.stream = contents, None


def _streaming_canvas(marks: PageMarks):
    """A canvas that marks each page as it is finished, its total pages drawn by a form defined at save."""
    fonts = register_fonts()

    class StreamingNumberedCanvas(rl_canvas.Canvas):
        def showPage(self):
            self._mark()
            super().showPage()
            _compress_now(self._doc.Pages.pages[-1], self._pageCompression)

        def save(self):
            if self._code:
                self.showPage()
            self.beginForm(TOTAL_FORM)
            self.setFont(fonts.regular, 8.5)
            self.drawString(0, 0, f"{self._pageNumber - 1} 页")
            self.endForm()
            super().save()

        def _mark(self) -> None:
            width, height = PAGE_SIZE
            self.saveState()
            self.setFillColor(colors.black)
            self.setFont(fonts.regular, 8.5)
            self.drawString(MARGIN, height - 12 * mm, marks.title)
            self.drawRightString(width - MARGIN, height - 12 * mm, marks.number)
            self.setLineWidth(0.4)
            self.line(MARGIN, height - 13.5 * mm, width - MARGIN, height - 13.5 * mm)
            left = f"第 {self._pageNumber} 页 / 共 "
            x = (width - stringWidth(left + "00 页", fonts.regular, 8.5)) / 2
            self.drawString(x, 10 * mm, left)
            self.translate(x + stringWidth(left, fonts.regular, 8.5), 10 * mm)
            self.doForm(TOTAL_FORM)
            self.restoreState()

    return StreamingNumberedCanvas


def build_long_pdf(story: list, marks: PageMarks, *, subject: str = "", author: str = "") -> bytes:
    """Lay out `story` on A4 pages carrying `marks` (like base.build_pdf), in memory that does not grow with pages."""
    buffer = io.BytesIO()
    doc = a4_document(buffer, marks, subject=subject, author=author)
    doc.build(story, canvasmaker=_streaming_canvas(marks))
    return buffer.getvalue()
