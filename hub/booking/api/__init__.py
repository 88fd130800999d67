"""Booking JSON API under /api/v1: availability, bookings, check-in and out."""
