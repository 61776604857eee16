"""Embedded CJK fonts for the PDF renderers: registered once per process, subset into each PDF."""

import fcntl
import os
import sys
import tempfile
import threading
from dataclasses import dataclass
from importlib import resources

from reportlab.lib import textsplit
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import paragraph

REGULAR_NAME = "NotoSansSC"
BOLD_NAME = "NotoSansSC-Bold"
WEIGHTS = {REGULAR_NAME: 400, BOLD_NAME: 700}
STYLES = {400: "Regular", 700: "Bold"}
CACHE_FORMAT = 2  # part of the cached file names: bump when the instances are built differently
VARIABLE_FONT = ("justmytype_intl_cjk", "fonts/ofl/notosanssc/NotoSansSC[wght].ttf")
# Full-width punctuation that must not open a line; ReportLab's own list lacks these.
EXTRA_CANNOT_START = "，；：？！．・…‥—～％’”〉》」』】〕〗〙〛）］｝"


@dataclass(frozen=True)
class FontNames:
    """ReportLab font names of the registered regular and bold faces."""

    regular: str
    bold: str


@dataclass
class FontSettings:
    """Where fonts come from: an explicit file pair, or instances cached from the package."""

    cache_dir: str | None = None
    regular_file: str | None = None
    bold_file: str | None = None


_settings = FontSettings()
_lock = threading.Lock()
_registered: FontNames | None = None


def configure(*, cache_dir: str | None = None, regular_file: str | None = None, bold_file: str | None = None) -> None:
    """Set the font sources; takes effect before the first register_fonts() of the process."""
    _settings.cache_dir = cache_dir or None
    _settings.regular_file = regular_file or None
    _settings.bold_file = bold_file or None


def default_cache_dir() -> str:
    """A cache beside the virtualenv, shared by every test run of one checkout."""
    return os.environ.get("FONT_CACHE_DIR") or os.path.join(sys.prefix, "share", "inspect_service", "fonts")


def register_fonts() -> FontNames:
    """Register the regular and bold CJK faces (idempotent) and return their names."""
    global _registered
    if _registered is not None:
        return _registered
    with _lock:
        if _registered is None:
            regular, bold = _font_files()
            pdfmetrics.registerFont(TTFont(REGULAR_NAME, regular))
            pdfmetrics.registerFont(TTFont(BOLD_NAME, bold))
            for italic in (0, 1):
                addMapping(REGULAR_NAME, 0, italic, REGULAR_NAME)
                addMapping(REGULAR_NAME, 1, italic, BOLD_NAME)
            patch_line_breaking()
            _registered = FontNames(regular=REGULAR_NAME, bold=BOLD_NAME)
    return _registered


def patch_line_breaking() -> None:
    """Keep full-width closing punctuation off the start of a line, in both modules that bind the list."""
    extra = "".join(ch for ch in EXTRA_CANNOT_START if ch not in textsplit.ALL_CANNOT_START)
    if extra:
        textsplit.ALL_CANNOT_START += extra
    paragraph.ALL_CANNOT_START = textsplit.ALL_CANNOT_START


def _font_files() -> tuple[str, str]:
    """Return the (regular, bold) TrueType files, building cached instances when needed."""
    if _settings.regular_file:
        return _settings.regular_file, _settings.bold_file or _settings.regular_file
    cache_dir = _settings.cache_dir or default_cache_dir()
    return tuple(ensure_instance(cache_dir, name) for name in (REGULAR_NAME, BOLD_NAME))


def ensure_instance(cache_dir: str, name: str) -> str:
    """Return the cached static instance `name`, building it once under a file lock."""
    target = os.path.join(cache_dir, f"{name}-v{CACHE_FORMAT}.ttf")
    if os.path.exists(target):
        return target
    os.makedirs(cache_dir, exist_ok=True)
    with open(os.path.join(cache_dir, f".{name}.lock"), "w") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)  # a second builder waits, then finds the file
        try:
            if not os.path.exists(target):
                _build_instance(target, WEIGHTS[name])
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)
    return target


def _rename(font, style: str) -> None:
    """Name the static instance after its weight (the variable font's default names say Thin)."""
    names = {1: "Noto Sans SC", 2: "Bold" if style == "Bold" else "Regular", 4: f"Noto Sans SC {style}",
             6: f"NotoSansSC-{style}", 16: "Noto Sans SC", 17: style}  # fmt: skip
    table = font["name"]
    for name_id, value in names.items():
        table.removeNames(nameID=name_id)
        table.setName(value, name_id, 3, 1, 0x409)


def _build_instance(target: str, weight: int) -> None:
    """Pin the variable font's weight axis and write the static font atomically."""
    from fontTools.ttLib import TTFont as FTFont
    from fontTools.varLib import instancer

    source = resources.files(VARIABLE_FONT[0]).joinpath(VARIABLE_FONT[1])
    with resources.as_file(source) as path:
        font = instancer.instantiateVariableFont(FTFont(str(path)), {"wght": weight}, updateFontNames=False)
    _rename(font, STYLES[weight])
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".tmp")
    os.close(fd)
    try:
        font.save(tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the cache is shared
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
