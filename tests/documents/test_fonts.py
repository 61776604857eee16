"""Fonts: the CJK face is embedded as a subset; static instances are built once and shared; config wins."""

import io
import threading
import time

import pypdf
import pytest

from inspect_service.documents.pdf import fonts
from inspect_service.documents.pdf.render import render
from tests.documents.views import SAMPLES


def _fonts_of(data: bytes) -> list:
    reader = pypdf.PdfReader(io.BytesIO(data))
    found = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            found.append(font.get_object())
    return found


@pytest.mark.parametrize("doc_type", sorted(SAMPLES))
def test_every_font_is_an_embedded_subset_of_the_cjk_face(doc_type):
    used = _fonts_of(render(SAMPLES[doc_type]()))
    names = {str(font["/BaseFont"]) for font in used}
    assert {name.split("+", 1)[1] for name in names} == {"NotoSansSC-Regular", "NotoSansSC-Bold"}  # nothing else
    for font in used:
        assert len(str(font["/BaseFont"]).split("+")[0]) == 7  # "/XXXXXX+": a subset, not the whole font
        assert "/FontFile2" in font["/FontDescriptor"].get_object()  # the TrueType program is embedded


def test_a_cached_instance_is_reused_without_building(tmp_path, monkeypatch):
    (tmp_path / f"NotoSansSC-v{fonts.CACHE_FORMAT}.ttf").write_bytes(b"cached")
    monkeypatch.setattr(fonts, "_build_instance", lambda *_: (_ for _ in ()).throw(AssertionError("rebuilt")))
    expected = str(tmp_path / f"NotoSansSC-v{fonts.CACHE_FORMAT}.ttf")
    assert fonts.ensure_instance(str(tmp_path), "NotoSansSC") == expected


def test_concurrent_builders_build_an_instance_once(tmp_path, monkeypatch):
    builds = []

    def slow_build(target, weight):
        builds.append(weight)
        time.sleep(0.3)
        with open(target, "wb") as handle:
            handle.write(b"font")

    monkeypatch.setattr(fonts, "_build_instance", slow_build)
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(fonts.ensure_instance(str(tmp_path), "NotoSansSC-Bold")))
        for _ in range(3)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert builds == [700] and len(set(results)) == 1 and len(results) == 3


def test_configured_font_files_win_over_the_package(monkeypatch):
    monkeypatch.setattr(fonts, "_settings", fonts.FontSettings())
    fonts.configure(regular_file="/fonts/regular.ttf", bold_file="/fonts/bold.ttf")
    assert fonts._font_files() == ("/fonts/regular.ttf", "/fonts/bold.ttf")
    fonts.configure(regular_file="/fonts/only.ttf")
    assert fonts._font_files() == ("/fonts/only.ttf", "/fonts/only.ttf")
