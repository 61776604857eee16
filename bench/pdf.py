"""PDF rendering benchmarks.

- bench_bulletin_vs_weasyprint: a 10,000-hazard bulletin rendered by our ReportLab renderer and the same content
  as HTML by WeasyPrint, each in a fresh subprocess (time of the render call, peak RSS of the whole process).
  Targets: >= 10x faster, <= 150 MB peak RSS.
- bench_bulletin_scaling: the bulletin at 1 k / 5 k / 10 k annex rows, to show time grows linearly.
- bench_notice: a one-page rectification notice (five hazards, QR code), rendered in-process after the fonts are
  registered. Target: <= 150 ms.

Run: .venv/bin/python bench/pdf.py   (one benchmark: bench/pdf.py bulletin | scaling | notice)
"""

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_RATIO = 10.0
TARGET_RSS_MB = 150.0


def _child(renderer: str, rows: int) -> None:
    """In a fresh process: build the figures, render once, print seconds, size, pages and peak RSS as JSON."""
    from bench.bulletin_content import bulletin_html, synthetic_metrics
    from inspect_service.documents.pdf.bulletin import BulletinView, render_bulletin
    from inspect_service.documents.pdf.fonts import register_fonts

    register_fonts()  # once per process in the service too; not part of a render
    figures = synthetic_metrics(rows)
    if renderer == "reportlab":
        started, cpu = time.perf_counter(), time.process_time()
        pdf = render_bulletin(BulletinView(metrics=figures))
    else:
        from weasyprint import HTML

        html = bulletin_html(figures)
        started, cpu = time.perf_counter(), time.process_time()
        pdf = HTML(string=html).write_pdf()
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # before pypdf counts the pages
    import io

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(json.dumps({"seconds": seconds, "cpu": cpu_seconds, "bytes": len(pdf), "pages": pages, "peak_mb": peak_mb}))


def run(renderer: str, rows: int) -> dict:
    """Render in a subprocess and return its figures (peak RSS as the child measured it)."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", renderer, str(rows)],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_bulletin_vs_weasyprint(rows: int = 10_000) -> dict:
    """Our renderer against WeasyPrint on the same 10 k-row bulletin."""
    ours = run("reportlab", rows)
    theirs = run("weasyprint", rows)
    ratio = theirs["seconds"] / ours["seconds"]
    print(f"bulletin, {rows} overdue rows + {rows // 10} major rows (wall and CPU seconds of the render call):")
    for name, r in (("reportlab (ours)", ours), ("weasyprint", theirs)):
        print(f"  {name:17s} {r['seconds']:7.2f} s  (CPU {r['cpu']:7.2f} s)  {r['pages']:5d} pages  "
              f"{r['bytes'] / 1e6:6.2f} MB  peak RSS {r['peak_mb']:6.1f} MB")  # fmt: skip
    print(f"  CPU speed-up {theirs['cpu'] / ours['cpu']:.1f}x")
    print(f"  speed-up {ratio:.1f}x (target >= {TARGET_RATIO:.0f}x: {'met' if ratio >= TARGET_RATIO else 'MISSED'}); "
          f"peak RSS {ours['peak_mb']:.0f} MB (target <= {TARGET_RSS_MB:.0f} MB: "
          f"{'met' if ours['peak_mb'] <= TARGET_RSS_MB else 'MISSED'})")  # fmt: skip
    return {"ours": ours, "weasyprint": theirs, "ratio": ratio}


def bench_bulletin_scaling(sizes=(1_000, 5_000, 10_000)) -> list[dict]:
    """The bulletin at growing sizes: seconds per 1 k rows should stay flat."""
    results = []
    print("bulletin scaling (reportlab):")
    for rows in sizes:
        r = run("reportlab", rows)
        results.append({"rows": rows, **r})
        print(f"  {rows:6d} rows  {r['seconds']:6.2f} s  CPU {r['cpu']:6.2f} s  "
              f"{r['cpu'] / rows * 1000:5.3f} CPU s per 1 k rows  {r['pages']:5d} pages  "
              f"peak RSS {r['peak_mb']:6.1f} MB")  # fmt: skip
    return results


TARGET_NOTICE_MS = 150.0


def _one_page_notice():
    """A park notice of five hazards for one enterprise, as the service freezes it."""
    from inspect_service.documents.pdf.views import Header, NoticeItem, NoticeView, Signer

    header = Header(
        doc_type="notice", variant="park", number="（XX园）安整〔2026〕0001号",
        issuer_name="XX园区安全生产委员会办公室",
        enterprise_name="宁波某某化工有限公司", issued_on="2026-11-22",
        verify_url="https://inspect.example.cn/verify/%EF%BC%88XX%E5%9B%AD%EF%BC%89?h=0123456789abcdef",
    )  # fmt: skip
    items = tuple(
        NoticeItem(seq=n, hazard_no=f"YH-2026-{n:06d}", description=f"{n}号仓库安全出口被货物堵塞，疏散通道宽度不足",
                   location=f"{n}号仓库", legal_basis="《消防法》第二十八条", deadline="2026-12-10")
        for n in range(1, 6)
    )  # fmt: skip
    inspectors = (Signer("王建国", "inspector", "ZF-0001"), Signer("李晓梅", "inspector", "ZF-0002"))
    return NoticeView(header=header, items=items, recheck_date="2026-12-15", inspectors=inspectors)


def bench_notice(repeats: int = 30) -> dict:
    """Render a one-page notice `repeats` times (fonts registered first, as once per process in the service)."""
    import io
    import statistics

    from pypdf import PdfReader

    from inspect_service.documents.pdf.fonts import register_fonts
    from inspect_service.documents.pdf.render import render

    started = time.perf_counter()
    register_fonts()
    fonts_ms = (time.perf_counter() - started) * 1000
    view = _one_page_notice()
    first = time.perf_counter()
    pdf = render(view)  # the first render also loads the templates and builds the styles
    first_ms = (time.perf_counter() - first) * 1000
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        render(view)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    median, p95 = statistics.median(timings), timings[int(len(timings) * 0.95) - 1]
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"one-page notice ({pages} page, {len(pdf) / 1024:.0f} KiB): median {median:.1f} ms, p95 {p95:.1f} ms, "
          f"min {timings[0]:.1f} ms; first render {first_ms:.1f} ms; font registration {fonts_ms:.0f} ms once "
          f"(target <= {TARGET_NOTICE_MS:.0f} ms: {'met' if p95 <= TARGET_NOTICE_MS else 'MISSED'})")  # fmt: skip
    return {"median_ms": median, "p95_ms": p95, "first_ms": first_ms, "pages": pages}


BENCHMARKS = {"bulletin": bench_bulletin_vs_weasyprint, "scaling": bench_bulletin_scaling, "notice": bench_notice}


def main(argv: list[str]) -> None:
    """Run the named benchmarks (all by default)."""
    if argv[:1] == ["--child"]:
        _child(argv[1], int(argv[2]))
        return
    for name in argv or list(BENCHMARKS):
        BENCHMARKS[name]()


if __name__ == "__main__":
    main(sys.argv[1:])
