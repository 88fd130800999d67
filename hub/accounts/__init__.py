"""Organisations, users, roles, tokens and login."""
