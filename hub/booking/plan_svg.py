"""A generated floor plan of a flex space: desks in islands of four, zones side by side. Pure.

The demo building has no drawing of its own; this gives its flex floor a plan (SVG, made
by us, so none of the risks of an uploaded SVG) and the desk positions on it, in percent
of the image, the way facility places desks on an uploaded plan."""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 1000, 620
DESK_W, DESK_H = 60, 40
ISLAND_GAP_X, ISLAND_GAP_Y = 36, 60
TOP = 170  # below the strip of rooms along the top wall


@dataclass(frozen=True)
class PlacedDesk:
    label: str
    x: float  # centre, percent of the width
    y: float  # centre, percent of the height


def _island_origin(index: int, zone_left: float) -> tuple[float, float]:
    column, row = index % 3, index // 3
    x = zone_left + 30 + column * (2 * DESK_W + ISLAND_GAP_X)
    y = TOP + row * (2 * DESK_H + ISLAND_GAP_Y + 90)
    return x, y


def layout(zones: list[list[str]]) -> list[PlacedDesk]:
    """Desk centres for each zone's desk labels (islands of four, three islands a row)."""
    placed: list[PlacedDesk] = []
    zone_width = WIDTH / max(1, len(zones))
    for z, labels in enumerate(zones):
        for i, label in enumerate(labels):
            ox, oy = _island_origin(i // 4, z * zone_width)
            seat = i % 4
            cx = ox + (seat % 2) * DESK_W + DESK_W / 2
            cy = oy + (seat // 2) * DESK_H + DESK_H / 2
            placed.append(PlacedDesk(label, round(cx / WIDTH * 100, 2),
                                     round(cy / HEIGHT * 100, 2)))
    return placed


def render(zone_names: list[str], zones: list[list[str]], rooms: list[str]) -> str:
    """The plan as SVG text: outer walls, rooms along the top, zones and labelled desks."""
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
             f'width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif">',
             f'<rect x="4" y="4" width="{WIDTH - 8}" height="{HEIGHT - 8}" fill="#fbfbf8" '
             'stroke="#333" stroke-width="6"/>']
    room_w = (WIDTH - 8) / max(1, len(rooms))
    for i, name in enumerate(rooms):
        x = 4 + i * room_w
        parts.append(f'<rect x="{x:.1f}" y="4" width="{room_w:.1f}" height="110" '
                     'fill="#e8eef5" stroke="#333" stroke-width="3"/>')
        parts.append(f'<text x="{x + room_w / 2:.1f}" y="64" font-size="14" '
                     f'text-anchor="middle" fill="#222">{escape(name)}</text>')
    zone_width = WIDTH / max(1, len(zones))
    for z, name in enumerate(zone_names):
        parts.append(f'<text x="{z * zone_width + 30:.1f}" y="150" font-size="20" '
                     f'font-weight="bold" fill="#444">{escape(name)}</text>')
        if z:
            parts.append(f'<line x1="{z * zone_width:.1f}" y1="130" x2="{z * zone_width:.1f}" '
                         f'y2="{HEIGHT - 4}" stroke="#999" stroke-width="2" '
                         'stroke-dasharray="8 6"/>')
    for desk in layout(zones):
        cx, cy = desk.x / 100 * WIDTH, desk.y / 100 * HEIGHT
        parts.append(f'<rect x="{cx - DESK_W / 2 + 2:.1f}" y="{cy - DESK_H / 2 + 2:.1f}" '
                     f'width="{DESK_W - 4}" height="{DESK_H - 4}" rx="4" fill="#fff" '
                     'stroke="#666" stroke-width="2"/>')
        parts.append(f'<text x="{cx:.1f}" y="{cy + 5:.1f}" font-size="13" '
                     f'text-anchor="middle" fill="#333">{escape(desk.label)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
