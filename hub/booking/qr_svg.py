"""The booking QR as inline SVG for the confirmation page (no image request, prints sharply)."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from markupsafe import escape


def qr_svg(data: str, title: str) -> str:
    """An SVG <svg> element encoding `data`, with an accessible title."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=10,
                        border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    svg = buffer.getvalue().decode("utf-8")
    svg = svg[svg.index("<svg"):]  # drop the XML declaration: this goes inside HTML
    escaped = str(escape(title))
    head_end = svg.index(">") + 1
    return (svg[:head_end].replace("<svg", '<svg role="img" aria-label="' + escaped + '"', 1)
            + svg[head_end:])
