"""Bookings of rooms, desks and landing spots: rules, recurrence, privacy, calendar feeds."""
