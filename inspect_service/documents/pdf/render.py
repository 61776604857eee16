"""One entry point: a frozen view-model in, PDF bytes out (pure; no Flask, no session)."""

from inspect_service.documents.pdf.notice import render_notice
from inspect_service.documents.pdf.plan import render_plan
from inspect_service.documents.pdf.receipt import render_receipt
from inspect_service.documents.pdf.recheck import render_recheck
from inspect_service.documents.pdf.record import render_record
from inspect_service.documents.pdf.statistics import render_statistics

RENDERERS = {
    "notice": render_notice,
    "recheck_opinion": render_recheck,
    "inspection_record": render_record,
    "receipt": render_receipt,
    "remediation_plan": render_plan,
    "statistics": render_statistics,
}


def render(view, *, templates_dir: str | None = None) -> bytes:
    """Render any document's view-model (chosen by its header's doc_type)."""
    return RENDERERS[view.header.doc_type](view, templates_dir=templates_dir)
