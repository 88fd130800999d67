"""Server-rendered SVG charts, pure: no JavaScript, no CDN, printable, and each one sits
next to a table with the same numbers (the chart is `aria-hidden`; the table is the text).

Hand-written because the charts are few and simple and must render in the PDF too; a
vendored JavaScript library would not run in a print of the page without a browser."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

PALETTE = ("#1f5fa8", "#e07b00", "#6b3fa0", "#2e7d32", "#b3261e")  # AA on white
WIDTH = 640


def _svg(height: int, body: list[str], label: str) -> str:
    return (f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" width="100%" '
            f'role="img" aria-hidden="true" focusable="false" '
            f'xmlns="http://www.w3.org/2000/svg"><title>{escape(label)}</title>'
            + "".join(body) + "</svg>")


def _text(x: float, y: float, text: str, anchor: str = "middle", size: int = 12,
          weight: str = "normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'font-weight="{weight}" fill="#1a1a1a">{escape(text)}</text>')


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def heatmap(cells: dict[tuple[int, int], float | None], weekdays: Sequence[str],
            hours: Sequence[int], label: str) -> str:
    """Weekday x hour, darker is busier; empty cells (no data) hatched grey."""
    left, top, cw, ch = 60, 24, (WIDTH - 70) / max(1, len(hours)), 34
    body = [_text(left + cw * i + cw / 2, 16, f"{h:02d}") for i, h in enumerate(hours)]
    for r, name in enumerate(weekdays):
        y = top + r * ch
        body.append(_text(left - 8, y + ch / 2 + 4, name, "end"))
        for i, h in enumerate(hours):
            value = cells.get((r + 1, h))
            fill = "#e6e6e6" if value is None else _blue(value)
            body.append(f'<rect x="{left + i * cw:.1f}" y="{y}" width="{cw - 2:.1f}" '
                        f'height="{ch - 2}" fill="{fill}"/>')
            ink = "#ffffff" if value is not None and value > 0.5 else "#1a1a1a"
            body.append(f'<text x="{left + i * cw + cw / 2:.1f}" y="{y + ch / 2 + 4}" '
                        f'text-anchor="middle" font-size="11" fill="{ink}">'
                        f'{escape(_pct(value))}</text>')
    return _svg(top + len(weekdays) * ch + 6, body, label)


def _blue(value: float) -> str:
    v = max(0.0, min(1.0, value))
    r, g, b = (int(a + (z - a) * v) for a, z in ((234, 16), (242, 58), (250, 110)))
    return f"#{r:02x}{g:02x}{b:02x}"


def bars(groups: Sequence[tuple[str, Sequence[float | None]]], series: Sequence[str],
         label: str, *, fraction: bool = True, top_value: float | None = None) -> str:
    """Grouped vertical bars (e.g. booked / used / no-show per kind), with a legend."""
    height, left, base = 260, 48, 210
    values = [v for _, vs in groups for v in vs if v is not None]
    top = top_value or (1.0 if fraction else max([1.0, *values]))
    span = (WIDTH - left - 10) / max(1, len(groups))
    bw = min(40.0, span * 0.8 / max(1, len(series)))
    body = _axis(left, base, top, fraction)
    for g, (name, vs) in enumerate(groups):
        x0 = left + g * span + (span - bw * len(series)) / 2
        for s, v in enumerate(vs):
            h = 0 if v is None else (base - 20) * min(v, top) / top
            body.append(f'<rect x="{x0 + s * bw:.1f}" y="{base - h:.1f}" width="{bw - 3:.1f}" '
                        f'height="{h:.1f}" fill="{PALETTE[s % len(PALETTE)]}"/>')
            body.append(_text(x0 + s * bw + bw / 2 - 1.5, base - h - 4,
                              _pct(v) if fraction else ("–" if v is None else f"{v:g}"),
                              size=10))
        body.append(_text(left + g * span + span / 2, base + 16, name))
    body += _legend(series, base + 36)
    return _svg(height, body, label)


def _axis(left: int, base: int, top: float, fraction: bool) -> list[str]:
    out = [f'<line x1="{left}" y1="{base}" x2="{WIDTH - 10}" y2="{base}" stroke="#555"/>']
    for i in range(5):
        y = base - (base - 20) * i / 4
        value = top * i / 4
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - 10}" y2="{y:.1f}" '
                   f'stroke="#ddd"/>')
        out.append(_text(left - 6, y + 4, _pct(value) if fraction else f"{value:g}", "end",
                         size=10))
    return out


def _legend(series: Sequence[str], y: float) -> list[str]:
    out, x = [], 48.0
    for s, name in enumerate(series):
        out.append(f'<rect x="{x:.1f}" y="{y - 10}" width="12" height="12" '
                   f'fill="{PALETTE[s % len(PALETTE)]}"/>')
        out.append(_text(x + 16, y, name, "start"))
        x += 28 + 7 * len(name)
    return out


def hbars(rows: Sequence[tuple[str, float | None]], label: str) -> str:
    """Horizontal bars of shares, one a row (per organisation)."""
    left, rh = 230, 22
    body = []
    for i, (name, v) in enumerate(rows):
        y = 8 + i * rh
        w = 0 if v is None else (WIDTH - left - 60) * max(0.0, min(v, 1.0))
        body.append(_text(left - 8, y + 14, name[:34], "end", size=11))
        body.append(f'<rect x="{left}" y="{y + 3}" width="{w:.1f}" height="{rh - 6}" '
                    f'fill="{PALETTE[0]}"/>')
        body.append(_text(left + w + 6, y + 15, _pct(v), "start", size=11))
    return _svg(16 + len(rows) * rh, body, label)


def curve(points: Sequence[dict[str, float | int | None]], label: str, *,
          marks: Sequence[tuple[int | None, str]] = ()) -> str:
    """Refused share against N, with the bootstrap band shaded; marks now and the advice."""
    height, left, base = 260, 48, 220
    n_max = max(1, len(points) - 1)
    x = lambda n: left + (WIDTH - left - 20) * n / n_max  # noqa: E731
    y = lambda v: base - (base - 20) * float(v)  # noqa: E731
    body = _axis(left, base, 1.0, True)
    band = [p for p in points if p["low"] is not None]
    if band:
        upper = " ".join(f"{x(int(p['count'])):.1f},{y(p['high']):.1f}" for p in band)  # type: ignore[arg-type]
        lower = " ".join(f"{x(int(p['count'])):.1f},{y(p['low']):.1f}"  # type: ignore[arg-type]
                         for p in reversed(band))
        body.append(f'<polygon points="{upper} {lower}" fill="#1f5fa8" fill-opacity="0.18"/>')
    line = " ".join(f"{x(int(p['count'])):.1f},{y(p['refused_share']):.1f}"  # type: ignore[arg-type]
                    for p in points)
    body.append(f'<polyline points="{line}" fill="none" stroke="#1f5fa8" stroke-width="2.5"/>')
    for i, (n, name) in enumerate(marks):  # e.g. the current count and the advice
        if n is not None and n <= n_max:
            colour = ("#b3261e", "#2e7d32")[i % 2]
            body.append(f'<line x1="{x(n):.1f}" y1="20" x2="{x(n):.1f}" y2="{base}" '
                        f'stroke="{colour}" stroke-dasharray="4 3" stroke-width="2"/>')
            near_end = x(n) > WIDTH - 90  # label left of the line at the right edge
            body.append(_text(x(n) - 4 if near_end else x(n) + 4, 32 + 14 * i, f"{name}: {n}",
                              "end" if near_end else "start", size=11, weight="bold"))
    step = max(1, n_max // 12)
    body += [_text(x(n), base + 16, str(n), size=10) for n in range(0, n_max + 1, step)]
    return _svg(height, body, label)
