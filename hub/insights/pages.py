"""What the insight pages show: charts, their tables and a one-line reading each, built
from the report answers (the same numbers as the API)."""

from __future__ import annotations

from collections import Counter
from typing import Any

from babel.dates import get_day_names
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from hub.insights import charts

KIND_PLURAL = {"room": _l("Rooms"), "desk": _l("Flex desks"), "landing_spot": _l("Landing spots")}
HOURS = tuple(range(8, 18))


def _svg(svg: str) -> Markup:
    # charts.py escapes every text it puts into the SVG (html.escape), so it is safe markup.
    return Markup(svg)  # noqa: S704


def pct(value: float | None) -> str:
    return "–" if value is None else f"{round(value * 100)}%"


def weekday_names() -> list[str]:
    names = get_day_names("abbreviated", locale=str(get_locale() or "nl"))
    return [names[i] for i in range(5)]


def heatmap(answer: dict[str, Any]) -> dict[str, Any]:
    """Used share per weekday and hour (booked share where no sensor saw anything)."""
    rows = {(r["group"]["weekday"], r["group"]["hour"]): r for r in answer["rows"]}
    measure = "used_share" if any(r["used_share"] is not None for r in rows.values()) \
        else "booked_share"
    cells = {k: r[measure] for k, r in rows.items()}
    days = weekday_names()
    known = [(v, k) for k, v in cells.items() if v is not None and k[0] <= 5]
    reading = _("No data for this period yet.")
    if known:
        (top, (d1, h1)), (low, (d2, h2)) = max(known), min(known)
        reading = _("Busiest on %(day)s at %(hour)s:00 (%(share)s in use), quietest on "
                    "%(qday)s at %(qhour)s:00 (%(qshare)s).", day=days[d1 - 1], hour=h1,
                    share=pct(top), qday=days[d2 - 1], qhour=h2, qshare=pct(low))
    label = _("Used share per weekday and hour") if measure == "used_share" \
        else _("Booked share per weekday and hour")
    table = {"head": [_("Day"), *[f"{h:02d}" for h in HOURS]],
             "rows": [[days[d], *[pct(cells.get((d + 1, h))) for h in HOURS]]
                      for d in range(5)]}
    return {"title": label, "reading": reading, "table": table,
            "svg": _svg(charts.heatmap(cells, days, HOURS, label))}


def booked_used(kinds: dict[str, Any]) -> dict[str, Any]:
    rows = kinds["rows"]
    series = [_("booked"), _("used"), _("no-show")]
    groups = [(str(KIND_PLURAL.get(r["group"], r["group"])),
               [r["booked_share"], r["used_share"], r["no_show_rate"]]) for r in rows]
    label = _("Booked, really used and no-shows per kind")
    room = next((r for r in rows if r["group"] == "room"), rows[0] if rows else None)
    reading = _("No data for this period yet.")
    if room is not None:
        reading = _("%(kind)s were booked %(booked)s of the opening hours and really used "
                    "%(used)s of the time the sensors saw; %(noshow)s of the bookings were "
                    "no-shows.", kind=KIND_PLURAL.get(room["group"], room["group"]),
                    booked=pct(room["booked_share"]), used=pct(room["used_share"]),
                    noshow=pct(room["no_show_rate"]))
    table = {"head": [_("Kind"), _("Booked share"), _("Used share"), _("Unused booked time"),
                      _("Unbooked use"), _("No-show rate"), _("Check-in compliance"),
                      _("Coverage")],
             "rows": [[name, pct(r["booked_share"]), pct(r["used_share"]),
                       pct(r["unused_booked_time"]), pct(r["unbooked_use"]),
                       pct(r["no_show_rate"]), pct(r["checkin_compliance"]),
                       _coverage(r)] for (name, _v), r in zip(groups, rows, strict=True)]}
    return {"title": label, "reading": reading, "table": table,
            "svg": _svg(charts.bars(groups, series, label))}


def _coverage(row: dict[str, Any]) -> str:
    flag = " ⚠ " + _("under 90%") if row.get("low_coverage") else ""
    return pct(row["coverage"]) + flag


def peaks(kinds: dict[str, Any], current: dict[str, int]) -> dict[str, Any]:
    rows = kinds["rows"]
    series = ["P50", "P90", "P95", "max"]
    groups = [(str(KIND_PLURAL.get(r["group"], r["group"])),
               [r["peak_p50"], r["peak_p90"], r["peak_p95"], r["peak_max"]]) for r in rows]
    label = _("Daily peak of spaces in use at once")
    room = next((r for r in rows if r["group"] == "room" and r["peak_p50"] is not None), None)
    reading = _("No sensor data for this period yet.")
    if room is not None:
        reading = _("On a typical day at most %(p50)s rooms are in use at the same time; on "
                    "one day in ten %(p90)s or more; the highest was %(max)s of %(count)s.",
                    p50=room["peak_p50"], p90=room["peak_p90"], max=room["peak_max"],
                    count=current.get("room", 0))
    table = {"head": [_("Kind"), "P50", "P90", "P95", _("Highest"), _("Now in the building")],
             "rows": [[name, *["–" if v is None else v for v in values],
                       current.get(r["group"], 0)]
                      for (name, values), r in zip(groups, rows, strict=True)]}
    return {"title": label, "reading": reading, "table": table,
            "svg": _svg(charts.bars(groups, series, label, fraction=False))}


def organisations(answer: dict[str, Any]) -> dict[str, Any]:
    rows = sorted(answer["rows"], key=lambda r: -(r["booked_hours"] or 0))
    label = _("Used share of each organisation's booked time")
    reading = _("No bookings in this period.")
    if rows:
        top = rows[0]
        reading = _("%(org)s booked the most (%(hours)s hours) and used %(used)s of it; "
                    "%(noshow)s of its bookings were no-shows.", org=top["group"]["name"],
                    hours=round(top["booked_hours"]), used=pct(top["used_share"]),
                    noshow=pct(top["no_show_rate"]))
    table = {"head": [_("Organisation"), _("Booked hours"), _("Share of the building"),
                      _("Used share"), _("No-show rate"), _("Refused requests")],
             "rows": [[r["group"]["name"], round(r["booked_hours"]), pct(r["booked_share"]),
                       pct(r["used_share"]), pct(r["no_show_rate"]),
                       r["refused_demand"] or 0] for r in rows]}
    bars = [(r["group"]["name"], r["used_share"]) for r in rows[:20]]
    return {"title": label, "reading": reading, "table": table,
            "svg": _svg(charts.hbars(bars, label))}


def refused(answer: dict[str, Any]) -> dict[str, Any]:
    rows = answer["rows"]
    weeks = [r["group"] for r in rows]
    label = _("Refused requests per week")
    counts = [r["refused_demand"] or 0 for r in rows]
    total = sum(counts)
    reading = _("No request went unserved in this period.")
    if total:
        worst = max(range(len(rows)), key=lambda i: counts[i])
        reading = _("%(total)s requests found nothing free in this period, most in week "
                    "%(week)s (%(count)s).", total=total, week=weeks[worst],
                    count=counts[worst])
    groups = [(w.split("-W")[-1], [c]) for w, c in zip(weeks, counts, strict=True)]
    table = {"head": [_("Week"), _("Refused requests"), _("Bookings")],
             "rows": [[w, c, r["bookings"]] for w, c, r in zip(weeks, counts, rows,
                                                               strict=True)]}
    top = float(max([1, *counts]))
    return {"title": label, "reading": reading, "table": table,
            "svg": _svg(charts.bars(groups, [_("refused")], label, fraction=False,
                                      top_value=top))}


def sizing(answer: dict[str, Any]) -> dict[str, Any]:
    kind = KIND_PLURAL.get(answer["kind"], answer["kind"])
    label = _("Refused share against the number of %(kind)s", kind=str(kind).lower())
    low, high = answer["band_at_service_level"]
    n = answer["recommended_at_service_level"]
    band = "" if low is None else f" ({low}–{high})"
    reading = _("To serve %(level)s of the demand we saw, the new building needs %(n)s "
                "%(kind)s; there are %(current)s now, and %(refused)s requests found nothing "
                "free.", level=pct(answer["service_level"]), n=f"{n}{band}",
                kind=str(kind).lower(), current=answer["current"],
                refused=answer["demand"]["refused"])
    table = {"head": [_("Number"), _("Refused share"), _("Band low"), _("Band high")],
             "rows": [[p["count"], pct(p["refused_share"]), pct(p["low"]), pct(p["high"])]
                      for p in answer["curve"]]}
    svg = charts.curve(answer["curve"], label,
                       marks=[(answer["current"], _("now")), (n, _("advice"))])
    return {"title": label, "reading": reading, "table": table, "svg": _svg(svg),
            "answer": answer, "band": band, "kind_label": kind, "sizes": size_table(answer)}


def size_table(answer: dict[str, Any]) -> dict[str, Any]:
    sizes = answer.get("by_size") or []
    rows = []
    for i, s in enumerate(sizes):
        label = f"{s['size']}+" if i == len(sizes) - 1 else str(s["size"])
        low, high = s["band"]
        rows.append([label, s["current"], f"{s['recommended']}" +
                     ("" if low is None else f" ({low}–{high})"), s["requests"]])
    return {"head": [_("Room for (people)"), _("Now"), _("Needed"), _("Requests")],
            "rows": rows}


def _wait(days: float) -> str:
    if days < 1:
        return _("%(hours)s hours", hours=f"{days * 24:.1f}")
    return _("%(days)s days", days=f"{days:.1f}")


def waiting(rows: list[dict[str, Any]]) -> dict[str, Any]:
    weekly = [r for r in rows if r["week"] != "all"]
    table = {"head": [_("Week"), _("Kind"), _("Searches"), _("Median (days)"),
                      _("P90 (days)")],
             "rows": [[r["week"], KIND_PLURAL.get(str(r["kind"]), r["kind"]), r["searches"],
                       f"{r['median_days']:.1f}", f"{r['p90_days']:.1f}"] for r in weekly]}
    rooms = [r for r in rows if r["kind"] == "room" and r["week"] == "all"]
    reading = _("No searches in this period.")
    if rooms:
        whole = rooms[0]
        reading = _("Half of the %(n)s searches for a room of %(minutes)s minutes found one "
                    "free within %(median)s, nine in ten within %(p90)s.", n=whole["searches"],
                    minutes=whole["typical_minutes"], median=_wait(whole["median_days"]),
                    p90=_wait(whole["p90_days"]))
    return {"table": table, "reading": reading}


def coverage(rows: list[dict[str, Any]], kinds: dict[int, str]) -> dict[str, Any]:
    """Spaces under 90% coverage; those without any sensor summed up per kind."""
    partial = [r for r in rows if r["coverage"]]
    missing = Counter(kinds.get(r["group"]["id"], "") for r in rows if not r["coverage"])
    text = ", ".join(f"{n} {str(KIND_PLURAL.get(k, k)).lower()}" for k, n in sorted(
        missing.items()))
    return {"head": [_("Space"), _("Coverage")],
            "rows": [[r["group"]["name"], pct(r["coverage"])] for r in partial],
            "missing": _("Without a sensor (booking figures only): %(list)s.", list=text)
            if missing else ""}


def definitions() -> list[tuple[str, str]]:
    """METRICS.md in words, for the report's last page."""
    return [
        (_("Opening hours"), _("Monday to Friday 08:00–18:00, public holidays left out, in "
                               "slots of 5 minutes.")),
        (_("Booked share"), _("Booked slots divided by all slots of the opening hours (intent, "
                              "not use). A released booking counts up to its release.")),
        (_("Used share"), _("Slots with presence divided by the slots in which the sensor "
                            "worked. Visits shorter than 5 minutes are walk-throughs and do "
                            "not count.")),
        (_("Capacity utilisation"), _("People counted divided by capacity, over the time the "
                                      "counter worked (people-counting sensors only).")),
        (_("No-show rate"), _("Bookings without check-in and without presence from 5 minutes "
                              "before to 15 minutes after the start, divided by the bookings "
                              "that reached their start.")),
        (_("Unused booked time"), _("Booked minutes without presence divided by booked "
                                    "minutes, where the sensor worked.")),
        (_("Unbooked use"), _("Presence of 10 minutes or more outside any booking, divided by "
                              "all presence.")),
        (_("Check-in compliance"), _("Checked-in bookings divided by the bookings that reached "
                                     "their start.")),
        (_("Daily peak"), _("The most spaces in use at the same moment on a day; shown as "
                            "P50, P90, P95 and the highest over the days of the period.")),
        (_("Refused demand"), _("Requests for a kind and time that found nothing free (an "
                                "empty search, or a conflict that was not retried "
                                "successfully).")),
        (_("Coverage"), _("The share of the opening hours in which the sensor worked; "
                          "spaces under 90% are flagged.")),
        (_("Organisation figures"), _("Per organisation the used share is that of its own "
                                      "booked time.")),
    ]
