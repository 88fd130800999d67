"""All-or-nothing CSV imports with a report of every bad row."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from hub.errors import HubError
from hub.extensions import db

MAX_ROWS = 10_000


@dataclass
class ImportReport:
    created: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self) -> list[str]:
        return [f"line {line}: {reason}" for line, reason in self.errors]


def read_rows(data: bytes | str, required: tuple[str, ...],
              optional: tuple[str, ...] = ()) -> tuple[list[tuple[int, dict[str, str]]],
                                                       list[tuple[int, str]]]:
    """Rows as (line number, dict) and header problems; accepts ; or , and a UTF-8 BOM."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], [(1, "the file is not UTF-8 text")]
    else:
        text = data.lstrip("\ufeff")
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        return [], [(1, "the file is empty")]
    except csv.Error as exc:
        return [], [(1, f"unreadable CSV: {exc}")]
    missing = [c for c in required if c not in header]
    if missing:
        return [], [(1, f"missing column(s): {', '.join(missing)}")]
    unknown = [c for c in header if c and c not in required + optional]
    if unknown:
        return [], [(1, f"unknown column(s): {', '.join(unknown)}")]
    rows: list[tuple[int, dict[str, str]]] = []
    errors: list[tuple[int, str]] = []
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                errors.append((line, f"expected {len(header)} fields, found {len(values)}"))
                continue
            rows.append((line, {h: v.strip() for h, v in zip(header, values, strict=True)}))
            if len(rows) > MAX_ROWS:
                return [], [(line, f"more than {MAX_ROWS} rows; split the file")]
    except csv.Error as exc:
        errors.append((reader.line_num, f"unreadable CSV: {exc}"))
    return rows, errors


def run_import(data: bytes | str, required: tuple[str, ...], optional: tuple[str, ...],
               make_row: Callable[[dict[str, str]], Any]) -> ImportReport:
    """Apply make_row to every row; commit only when every row is good, else roll back all."""
    rows, errors = read_rows(data, required, optional)
    report = ImportReport(errors=list(errors))
    for line, row in rows:
        try:
            with db.session.begin_nested():
                make_row(row)
            report.created += 1
        except HubError as exc:
            report.errors.append((line, exc.message))
    if report.errors or not rows:
        if not rows and not report.errors:
            report.errors.append((1, "the file has no data rows"))
        db.session.rollback()
        report.created = 0
    else:
        db.session.commit()
    return report
