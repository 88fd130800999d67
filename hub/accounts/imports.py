"""CSV imports of organisations and users (all-or-nothing, bad rows reported)."""

from __future__ import annotations

from datetime import datetime

from hub.accounts import services
from hub.csvimport import ImportReport, run_import


def import_organisations(data: bytes | str, *, now: datetime, actor_id: int | None = None,
                         channel: str = "cli") -> ImportReport:
    """Columns: slug, name, kind (core/network)."""
    def make(row: dict[str, str]) -> None:
        services.create_organisation(slug=row["slug"], name=row["name"], kind=row["kind"],
                                     now=now, actor_id=actor_id, channel=channel)
    return run_import(data, ("slug", "name", "kind"), (), make)


def import_users(data: bytes | str, *, now: datetime, actor_id: int | None = None,
                 channel: str = "cli") -> ImportReport:
    """Columns: email, organisation, role; optional name, language."""
    def make(row: dict[str, str]) -> None:
        services.create_user(email=row["email"], organisation_slug=row["organisation"],
                             role=row["role"], name=row.get("name") or None,
                             language=row.get("language") or "nl", now=now,
                             actor_id=actor_id, channel=channel)
    return run_import(data, ("email", "organisation", "role"), ("name", "language"), make)
