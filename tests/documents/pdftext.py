"""Reading generated PDFs back: text per page (pypdf) and page 1 as an image (pypdfium2)."""

import io

import pypdf
import pypdfium2


def pages_text(data: bytes) -> list[str]:
    """The extracted text of each page."""
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def flat(data: bytes) -> str:
    """All text with line breaks and spaces removed (wrapped lines joined again)."""
    return "".join("".join(pages_text(data)).split())


def first_page_png(data: bytes):
    """Page 1 rendered to a PIL image."""
    document = pypdfium2.PdfDocument(data)
    try:
        return document[0].render(scale=1).to_pil()
    finally:
        document.close()


def ink_ratio(image) -> float:
    """The share of non-white pixels (a blank page is 0)."""
    grey = image.convert("L")
    histogram = grey.histogram()
    return 1 - sum(histogram[250:]) / sum(histogram)
