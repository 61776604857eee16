"""Bar and pie charts for reports (reportlab.graphics), in greys that survive black-and-white printing."""

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm

from inspect_service.documents.pdf.base import FRAME_WIDTH
from inspect_service.documents.pdf.fonts import register_fonts

GREYS = [colors.Color(g, g, g) for g in (0.15, 0.75, 0.45, 0.9, 0.3, 0.6, 0.05, 0.85)]


def _control(text: str) -> str:
    """Chart labels are drawn as plain strings (no markup); drop control characters only."""
    return "".join(ch for ch in str(text) if ch >= " ")


def bar_chart(categories: Sequence[str], series: Sequence[Sequence[int]], names: Sequence[str]) -> Drawing:
    """Grouped vertical bars (one group per category, one bar per series) with a legend."""
    font = register_fonts().regular
    height = 78 * mm
    drawing = Drawing(FRAME_WIDTH, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 14 * mm, 22 * mm
    chart.width, chart.height = FRAME_WIDTH - 20 * mm, height - 34 * mm
    chart.data = [list(values) for values in series]
    chart.categoryAxis.categoryNames = [_control(c) for c in categories]
    chart.categoryAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = 7.5
    chart.categoryAxis.labels.angle = 30 if len(categories) > 5 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(categories) > 5 else "n"
    chart.valueAxis.labels.fontName = font
    chart.valueAxis.labels.fontSize = 7.5
    chart.valueAxis.valueMin = 0
    top = max((max(values) for values in series if values), default=0)
    chart.valueAxis.valueMax = max(top * 1.15, 5)
    chart.valueAxis.valueStep = max(1, round(chart.valueAxis.valueMax / 5))
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = font
    chart.barLabels.fontSize = 7
    chart.barLabels.nudge = 6
    for index in range(len(series)):
        chart.bars[index].fillColor = GREYS[index % len(GREYS)]
        chart.bars[index].strokeColor = colors.black
        chart.bars[index].strokeWidth = 0.4
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = FRAME_WIDTH - 40 * mm, height - 4 * mm
    legend.fontName, legend.fontSize = font, 8
    legend.colorNamePairs = [(GREYS[i % len(GREYS)], _control(name)) for i, name in enumerate(names)]
    legend.strokeColor = colors.black
    drawing.add(legend)
    return drawing


def pie_chart(labels: Sequence[str], values: Sequence[int]) -> Drawing:
    """A pie of the non-zero values, each slice labelled with its name, count and share."""
    font = register_fonts().regular
    pairs = [(label, value) for label, value in zip(labels, values, strict=True) if value > 0]
    total = sum(value for _, value in pairs)
    height = 70 * mm
    drawing = Drawing(FRAME_WIDTH, height)
    if not pairs:
        return drawing
    pie = Pie()
    pie.x, pie.y = FRAME_WIDTH / 2 - 25 * mm, 10 * mm
    pie.width = pie.height = 50 * mm
    pie.data = [value for _, value in pairs]
    pie.labels = [f"{_control(label)} {value}（{value * 100 / total:.1f}%）" for label, value in pairs]
    pie.sideLabels = True
    pie.simpleLabels = False
    pie.slices.strokeColor = colors.black
    pie.slices.strokeWidth = 0.5
    pie.slices.fontName = font
    pie.slices.fontSize = 8
    for index in range(len(pairs)):
        pie.slices[index].fillColor = GREYS[index % len(GREYS)]
    drawing.add(pie)
    return drawing
