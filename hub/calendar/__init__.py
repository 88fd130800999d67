"""Calendars: iCalendar rendering (pure), the feeds, a booking's .ics, QR rendering."""
