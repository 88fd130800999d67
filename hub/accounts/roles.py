"""Roles and the groups of roles that share a permission: one definition each."""

from __future__ import annotations

ROLES = ("staff", "coordinator", "reception", "facility", "admin")
# Manage the building, sensors, labels and insights.
FACILITY_ROLES = ("facility", "admin")
# See who is where in the whole building (the "today" view, the booker's name).
DESK_ROLES = ("reception", "facility", "admin")
# Book for anyone in the building; a coordinator books for their own organisation only.
ON_BEHALF_ANY = ("reception", "admin")
ON_BEHALF_ROLES = (*ON_BEHALF_ANY, "coordinator")
# See the booker's name in other organisations' bookings, to direct a visitor: reception only
# (facility and admin see the organisation; nobody outside sees the e-mail; docs/privacy.md).
BOOKER_NAME_ROLES = ("reception",)
# Roles a coordinator may hand out inside their own organisation.
COORDINATOR_GRANTS = ("staff", "coordinator")
