"""All-or-nothing CSV imports with a report of every bad row."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from hub.db import write
from hub.errors import HubError
from hub.extensions import db

MAX_ROWS = 10_000
# Cells a spreadsheet runs as a formula when the data is exported again (CSV injection);
# a plain signed number is no formula.
FORMULA_STARTS = ("=", "+", "-", "@")
NUMBER_RE = re.compile(r"^[+-]?\d+([.,]\d+)?$")

Rows = list[tuple[int, dict[str, str]]]
Problems = list[tuple[int, str]]


@dataclass
class ImportReport:
    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        return [f"line {line}: {reason}" for line, reason in self.errors]


def _text(data: bytes | str) -> str | None:
    if isinstance(data, str):
        return data.lstrip("\ufeff")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _header_problem(header: list[str], required: tuple[str, ...],
                    optional: tuple[str, ...]) -> str | None:
    missing = [c for c in required if c not in header]
    if missing:
        return _("missing column(s): %(names)s", names=", ".join(missing))
    unknown = [c for c in header if c and c not in required + optional]
    if unknown:
        return _("unknown column(s): %(names)s", names=", ".join(unknown)[:200])
    doubled = sorted({c for c in header if c and header.count(c) > 1})
    if doubled:
        return _("column(s) named twice: %(names)s", names=", ".join(doubled))
    return None


def cell_problem(value: str) -> str | None:
    """Why a cell cannot be imported, or None."""
    if any(unicodedata.category(c) == "Cc" for c in value.replace("\t", " ")):
        return _("a cell contains a control character")
    stripped = value.strip()
    if stripped[:1] in FORMULA_STARTS and not NUMBER_RE.match(stripped):
        return _("a cell starts with =, +, - or @ (a spreadsheet would run it as a formula)")
    return None


def _records(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """Records with the line each starts on (a quoted cell may span lines)."""
    while True:
        start = reader.line_num + 1
        try:
            values = next(reader)
        except StopIteration:
            return
        yield start, values


def _check_row(values: list[str], header: list[str]) -> str | None:
    if len(values) != len(header):
        return _("expected %(n)d fields, found %(found)d", n=len(header), found=len(values))
    for value in values:
        problem = cell_problem(value)
        if problem:
            return problem
    return None


def read_rows(data: bytes | str, required: tuple[str, ...],
              optional: tuple[str, ...] = ()) -> tuple[Rows, Problems]:
    """Rows as (line number, dict) and the problems found; accepts ; or , and a UTF-8 BOM."""
    text = _text(data)
    if text is None:
        return [], [(1, _("the file is not UTF-8 text"))]
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return [], [(1, _("the file is empty"))]
    except csv.Error as exc:
        return [], [(1, _("unreadable CSV: %(reason)s", reason=str(exc)[:200]))]
    problem = _header_problem(header, required, optional)
    if problem:
        return [], [(1, problem)]
    rows: Rows = []
    errors: Problems = []
    try:
        for line, values in _records(reader):
            if not any(v.strip() for v in values):
                continue
            if len(rows) + len(errors) >= MAX_ROWS:
                return [], [(line, _("more than %(n)d rows; split the file", n=MAX_ROWS))]
            row_problem = _check_row(values, header)
            if row_problem:
                errors.append((line, row_problem))
                continue
            rows.append((line, {h: v.strip() for h, v in zip(header, values, strict=True)
                                if h}))
    except csv.Error as exc:
        errors.append((reader.line_num, _("unreadable CSV: %(reason)s", reason=str(exc)[:200])))
    return rows, errors


def run_import(data: bytes | str, required: tuple[str, ...], optional: tuple[str, ...],
               make_row: Callable[[dict[str, str]], Any]) -> ImportReport:
    """Apply make_row to every row; commit only when every row is good, else roll back all."""
    rows, errors = read_rows(data, required, optional)
    report = ImportReport(errors=list(errors))
    try:
        with write():
            for line, row in rows:
                try:
                    with db.session.begin_nested():
                        make_row(row)
                    report.created += 1
                except HubError as exc:
                    report.errors.append((line, exc.message))
            if report.errors or not rows:
                raise _Refused
    except _Refused:
        if not rows and not report.errors:
            report.errors.append((1, _("the file has no data rows")))
        report.created = 0
        report.errors.sort(key=lambda problem: problem[0])
    return report


class _Refused(Exception):
    """A bad row: the unit of work rolls back every row of the import."""
