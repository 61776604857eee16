"""The acknowledgement receipt (送达回执) for a served notice."""

from inspect_service.documents import templates
from inspect_service.documents.pdf import parts
from inspect_service.documents.pdf.base import PageMarks, build_pdf, field_table, signature_table, spacer
from inspect_service.documents.pdf.views import ReceiptView


def render_receipt(view: ReceiptView, *, templates_dir: str | None = None) -> bytes:
    """Render a receipt to PDF bytes."""
    common = templates.load("common", templates_dir)
    tpl = templates.load("receipt", templates_dir)
    labels = tpl["fields"]
    received = templates.fill(tpl["received_text"], {"received_at": parts.cn_datetime(view.received_at, common)})
    rows = [
        (labels["document"], view.document_title),
        (labels["number"], view.document_number),
        (labels["enterprise"], view.header.enterprise_name),
        (labels["recipient"], f"{view.recipient.name} {view.recipient.role}".strip()),
        (labels["received"], received),
        (labels["method"], tpl["methods"].get(view.method, view.method)),
    ]
    if view.witness:
        rows.append((labels["witness"], view.witness))
    story = [*parts.head(view.header, tpl, common, title=tpl["title"]), field_table(rows), spacer(3)]
    if view.refused:
        story.append(parts.text(tpl["refused"], {}, "indent"))
    story.append(parts.text(tpl["note"], {}, "indent"))
    signer_labels = tpl["signers"]
    signers = [(signer_labels[0], "" if view.refused else view.recipient.name), (signer_labels[1], view.served_by)]
    story += [spacer(4), signature_table(signers)]
    story += parts.tail(view.header, tpl, common, with_qr=False)
    return build_pdf(story, PageMarks(number=view.header.number, title=tpl["title"]), author=view.header.issuer_name)
