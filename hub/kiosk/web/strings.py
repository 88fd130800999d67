"""The kiosk's words in Dutch and English, sent with the page so that the language switch
works at once and even while the hub is unreachable."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

KIOSK_TEXT = {
    "title": _l("Welcome"),
    "lead": _l("Hold the QR code of your booking in front of the scanner."),
    "or_type": _l("Or type the code of your booking"),
    "code_label": _l("Booking code"),
    "check_in": _l("Check in"),
    "camera": _l("Use the camera"),
    "camera_stop": _l("Stop the camera"),
    "camera_none": _l("No camera could be started. Type your code instead."),
    "no_booking": _l("I have no booking"),
    "language": _l("Language"),
    "busy": _l("One moment please…"),
    "checked_in": _l("Welcome, %(name)s (%(org)s)!"),
    "already_checked_in": _l("You are already checked in, %(name)s."),
    "go_to": _l("Your place: %(place)s, %(floor)s."),
    "until": _l("Until %(time)s."),
    "too_early": _l("You are early. Check-in opens at %(time)s."),
    "too_early_place": _l("Your place today: %(place)s, %(floor)s, from %(time)s."),
    "too_late": _l("The check-in time of this booking has passed. Please ask at the desk."),
    "cancelled": _l("This booking was cancelled. Please ask at the desk."),
    "unknown_code": _l("We do not know this code. Check the code, or ask at the desk."),
    "rate_limited": _l("Too many unknown codes. Please wait %(s)s seconds, or ask at the desk."),
    "error": _l("Something went wrong. Please try again or ask at the desk."),
    "offline": _l("The kiosk cannot reach the booking system. It keeps trying; please ask "
                  "at the desk meanwhile."),
    "back": _l("Back"),
    "still_there": _l("Are you still there?"),
    "more_time": _l("More time"),
    "reset_in": _l("The screen starts over in %(s)s seconds."),
    "walk_in_title": _l("Take a free place"),
    "walk_in_lead": _l("Choose a place, your organisation and your first name."),
    "walk_in_place": _l("Free places now"),
    "walk_in_org": _l("Your organisation"),
    "walk_in_org_choose": _l("Choose your organisation"),
    "walk_in_name": _l("Your first name"),
    "walk_in_submit": _l("Take this place"),
    "walk_in_none": _l("Sorry, there is no free place now. Please ask at the desk."),
    "walk_in_closed": _l("The building is closed now. Please ask at the desk."),
    "walk_in_done": _l("Welcome, %(name)s (%(org)s)! Your place: %(place)s, %(floor)s."),
    "walk_in_until": _l("Until %(time)s."),
    "plan_alt": _l("Floor plan of %(floor)s with your place marked"),
    "setup_title": _l("This kiosk is not enrolled yet"),
    "setup_lead": _l("Facility: run `hub kiosk enrol NAME` (or enrol on the facility page) "
                     "and paste the credential here. It stays in this browser only."),
    "setup_label": _l("Kiosk credential"),
    "setup_submit": _l("Enrol this screen"),
    "setup_wrong": _l("This credential is unknown or revoked."),
}


def kiosk_text() -> dict[str, dict[str, str]]:
    """Every kiosk text in both languages: {"nl": {...}, "en": {...}}."""
    out: dict[str, dict[str, str]] = {}
    for lang in ("nl", "en"):
        with force_locale(lang):
            out[lang] = {key: str(text) for key, text in KIOSK_TEXT.items()}
    return out


BOARD_TEXT = {
    "free": _l("Free"), "booked": _l("Booked"), "occupied": _l("In use"), "busy": _l("Busy"),
    "unknown": _l("Unknown"),
    "state_until": _l("%(state)s until %(time)s"), "free_until": _l("Free until %(time)s"),
    "free_all_day": _l("Free for the rest of the day"),
    "no_show": _l("booked, nobody present"),
    "not_checked_in": _l("booked, not checked in yet"),
    "unbooked_use": _l("in use without a booking"),
    "checked_in": _l("checked in"),
    "sensor_occupied": _l("sensor: someone present"), "sensor_vacant": _l("sensor: nobody"),
    "sensor_unknown": _l("sensor: no signal"),
    "private": _l("private room: only busy or free"),
    "plaza": _l("On the plaza today"), "plaza_none": _l("Nobody has a landing spot today yet."),
    "updated": _l("Last update %(time)s"), "stale": _l("No update since %(time)s: retrying."),
    "kinds_desk": _l("Desks"), "kinds_room": _l("Rooms"), "kinds_landing_spot": _l("Landing spots"),
    "counts": _l("%(free)s of %(total)s free"),
    "not_enrolled": _l("This screen is not enrolled. Open /kiosk on it once to enrol it."),
}


def board_text() -> dict[str, str]:
    """The board's words in the viewer's language."""
    return {key: str(text) for key, text in BOARD_TEXT.items()}
