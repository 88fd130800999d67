"""The kiosk page (its data comes from the kiosk API with the kiosk's credential) and the
live board page (a person's session, or a wall screen's kiosk credential)."""

from __future__ import annotations

from typing import Any

from flask import current_app, make_response, render_template, request, url_for
from flask_login import current_user

from hub.kiosk import board as board_data
from hub.kiosk.web import bp
from hub.kiosk.web.strings import board_text, kiosk_text
from hub.timeutil import utcnow

RESULT_MS = 8_000  # nothing personal stays on screen longer than this
IDLE_MS = 40_000  # then "still there?" ...
IDLE_GRACE_S = 20  # ... for at least 20 s (WCAG 2.2.1) before the screen starts over
HEARTBEAT_MS = 10_000
# The app's policy plus what the kiosk needs: compiling the QR decoder's WebAssembly
# ('wasm-unsafe-eval', no eval of JavaScript) and showing the floor plan fetched with the
# kiosk's credential (a blob: URL).
KIOSK_CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; "
             "style-src-attr 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; "
             "connect-src 'self'; media-src 'self' blob:; worker-src 'self'; object-src 'none'; "
             "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


def _ms(name: str, default: int) -> int:
    return int(current_app.config.get(name, default))


@bp.get("/kiosk")
def kiosk() -> Any:
    """The kiosk's screen. It holds no data itself: an enrolled browser asks the kiosk API."""
    config = {
        "api": {"scan": url_for("kiosk_api.scan"), "status": url_for("kiosk_api.status"),
                "walk_in": url_for("kiosk_api.WalkIn")},
        "wasm_url": url_for("static", filename="vendor/barcode-detector/zxing_reader.wasm"),
        "text": kiosk_text(),
        "result_ms": _ms("HUB_KIOSK_RESULT_MS", RESULT_MS),
        "idle_ms": _ms("HUB_KIOSK_IDLE_MS", IDLE_MS),
        "idle_grace_s": _ms("HUB_KIOSK_IDLE_GRACE_S", IDLE_GRACE_S),
        "heartbeat_ms": _ms("HUB_KIOSK_HEARTBEAT_MS", HEARTBEAT_MS),
    }
    response = make_response(render_template("kiosk/kiosk.html", config_json=config))
    response.headers["Content-Security-Policy"] = KIOSK_CSP
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/board")
def board() -> Any:
    """The live board; `?display=wall` without navigation, for a screen read from 3 metres.

    A person logs in; a wall screen may instead hold an enrolled kiosk credential (the page
    then fetches /api/v1/kiosk/board)."""
    wall = request.args.get("display") == "wall"
    signed_in = current_user.is_authenticated
    if not signed_in and not wall:
        return current_app.login_manager.unauthorized()  # type: ignore[attr-defined]
    data = board_data.current(utcnow()) if signed_in else None
    config = {"api": url_for("kiosk_api.live_board") if signed_in
              else url_for("kiosk_api.kiosk_board"),
              "kiosk": not signed_in, "refresh_s": board_data.refresh_seconds(),
              "wall": wall, "text": board_text(), "initial": data}
    return render_template("kiosk/board.html", wall=wall, config_json=config)
