"""CSV and XLSX of the report answers: UTF-8, a header row, formula cells neutralised."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from openpyxl import Workbook

from hub.insights.report import FIELDS, SHARES

DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
SIZING_FIELDS = ("kind", "service_level", "current", "recommended_0.9", "recommended_0.95",
                 "recommended_0.99", "recommended_at_service_level", "band_low", "band_high",
                 "count", "refused_share_at_count", "refused_share_now", "growth", "requests",
                 "weeks")


def neutral(value: Any) -> Any:
    """A text cell a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(DANGEROUS):
        return "'" + value
    return value


def _group_columns(grouping: str) -> list[str]:
    if grouping == "weekday_hour":
        return ["weekday", "hour"]
    if grouping in ("resource", "organisation", "floor"):
        return ["group", "group_id", "group_slug"]
    return ["group"]


def _group_cells(grouping: str, group: Any) -> list[Any]:
    if grouping == "weekday_hour":
        return [group["weekday"], group["hour"]]
    if isinstance(group, dict):
        return [group.get("name"), group.get("id"), group.get("slug")]
    return [group]


def occupancy_table(answer: dict[str, Any]) -> tuple[list[str], list[list[Any]]]:
    grouping = answer["group_by"]
    header = _group_columns(grouping) + list(FIELDS)
    body = [[neutral(c) for c in _group_cells(grouping, r["group"])] + [r[f] for f in FIELDS]
            for r in answer["rows"]]
    return header, body


def sizing_table(answers: Sequence[dict[str, Any]]) -> tuple[list[str], list[list[Any]]]:
    body = []
    for a in answers:
        rec = a["recommended"]
        low, high = a["band_at_service_level"]
        body.append([a["kind"], a["service_level"], a["current"], rec["0.9"], rec["0.95"],
                     rec["0.99"], a["recommended_at_service_level"], low, high, a["count"],
                     a["refused_share_at_count"], a["refused_share_now"], a["growth"],
                     a["demand"]["requests"], a["demand"]["weeks"]])
    return list(SIZING_FIELDS), body


def to_csv(header: list[str], body: list[list[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for cells in body:
        writer.writerow(["" if c is None else _csv_cell(c) for c in cells])
    return out.getvalue()


def _csv_cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutral(value)


def to_xlsx(sheets: list[tuple[str, list[str], list[list[Any]]]]) -> bytes:
    """One sheet per table; shares formatted as percentages, stored as fractions."""
    book = Workbook()
    book.remove(book.active)
    for title, header, body in sheets:
        sheet = book.create_sheet(title[:31])
        sheet.append(header)
        for cells in body:
            sheet.append([neutral(c) for c in cells])
        for col, name in enumerate(header, start=1):
            if name in SHARES or name.startswith("refused_share"):
                for (cell,) in sheet.iter_rows(min_row=2, min_col=col, max_col=col):
                    cell.number_format = "0.0%"
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
