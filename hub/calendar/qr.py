"""QR codes of bookings and resources: PNG (pure Python: pypng, no Pillow) and inline SVG
(no image request, prints sharply). Pure: no Flask, no database."""

from __future__ import annotations

import io

import qrcode
import qrcode.image.svg
from markupsafe import escape
from qrcode.image.pure import PyPNGImage


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


def qr_svg_document(data: str, title: str) -> str:
    """A standalone SVG file of `data` (for downloads and mail), with its XML namespace."""
    svg = qr_svg(data, title)
    if "xmlns=" not in svg[:200]:
        svg = svg.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + svg


def qr_png_bytes(data: str) -> bytes:
    """A PNG QR code of `data` (pure Python: pypng, no Pillow)."""
    image = qrcode.make(data, image_factory=PyPNGImage, box_size=8, border=2)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue()
