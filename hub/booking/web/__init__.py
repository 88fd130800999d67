"""Booking pages: home (today and my bookings), find and book, timeline, desks, reception."""
