"""Insights for the facility manager: occupancy metrics, sizing, exports, the council report."""
