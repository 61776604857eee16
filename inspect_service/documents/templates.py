"""Document wording as data: `pdf_templates/<type>.yaml`, overridable per deployment from PDF_TEMPLATES_DIR."""

import os
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path

import yaml

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "pdf_templates"


class TemplateError(RuntimeError):
    """A template file is missing or malformed."""


def merge(base: Mapping, override: Mapping) -> dict:
    """`override` laid over `base`, mappings merged key by key, everything else replaced."""
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _read(path: Path) -> dict:
    try:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle) or {}
    except yaml.YAMLError as exc:
        raise TemplateError(f"{path.name} is not valid YAML") from exc
    if not isinstance(data, dict):
        raise TemplateError(f"{path.name} must hold a mapping")
    return data


@lru_cache(maxsize=64)
def _load(name: str, override_dir: str | None, stamp: tuple) -> dict:
    default = DEFAULT_DIR / f"{name}.yaml"
    if not default.is_file():
        raise TemplateError(f"no template {name!r}")
    data = _read(default)
    if override_dir and (Path(override_dir) / f"{name}.yaml").is_file():
        data = merge(data, _read(Path(override_dir) / f"{name}.yaml"))
    return data


def _stamp(name: str, override_dir: str | None) -> tuple:
    """Modification times, so an edited override is picked up without a restart."""
    paths = [DEFAULT_DIR / f"{name}.yaml"] + ([Path(override_dir) / f"{name}.yaml"] if override_dir else [])
    return tuple(os.stat(p).st_mtime_ns if p.is_file() else 0 for p in paths)


def load(name: str, override_dir: str | None = None) -> dict:
    """The template `name` (e.g. "notice"), the override directory's keys laid over the shipped ones."""
    if not name.replace("_", "").isalnum():
        raise TemplateError(f"bad template name {name!r}")
    return _load(name, override_dir or None, _stamp(name, override_dir or None))


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return "____"  # an unknown placeholder prints as a blank to fill in, never fails the render


def fill(wording: str, values: Mapping) -> str:
    """Fill `{name}` placeholders in template wording (raw text; the renderer escapes the result)."""
    try:
        return str(wording).format_map(_Blank(values))
    except (ValueError, IndexError, AttributeError, KeyError):
        return str(wording)
