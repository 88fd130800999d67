"""Pages of the kiosk package: /kiosk, /board, /k/<code>, /r/<slug>, labels, kiosks."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("kiosk_pages", __name__)
