"""Helpers of the kiosk tests: enrol a kiosk, decode a QR code with a real decoder (zxing-cpp)."""

from __future__ import annotations

import os

import png
import pytest


def kiosk_headers(name: str = "Entree", location: str = "Hal") -> dict[str, str]:
    """Enrol a kiosk (inside the current app context) and return its Authorization header."""
    from hub.kiosk.services import enrol_kiosk
    from tests.hub_fixtures import T0

    _kiosk, credential = enrol_kiosk(name=name, location=location, now=T0)
    return {"Authorization": f"Bearer {credential}"}


def _zxing():  # type: ignore[no-untyped-def]
    try:
        import zxingcpp
    except ImportError:  # pragma: no cover - the dev extras install it
        message = "zxing-cpp is missing: .venv/bin/pip install -e '.[dev]'"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return zxingcpp


def decode_png(data: bytes) -> list[str]:
    """Every QR code in a PNG (any bit depth, grey or colour), decoded by zxing-cpp."""
    zxingcpp = _zxing()
    width, height, rows, info = png.Reader(bytes=data).asDirect()
    planes, depth = info["planes"], info["bitdepth"]
    scale = 255 // ((1 << depth) - 1)
    grey = bytearray()
    for row in rows:
        values = list(row)
        if planes >= 3:  # RGB(A): the green channel is a fine grey for black-on-white codes
            grey.extend(min(255, v * scale) for v in values[1::planes])
        else:
            grey.extend(min(255, v * scale) for v in values[::planes])
    view = memoryview(bytes(grey)).cast("B", (height, width))
    return [barcode.text for barcode in zxingcpp.read_barcodes(view)]
