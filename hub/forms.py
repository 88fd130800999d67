"""Forms every package shares."""

from __future__ import annotations

from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """A button that changes something (check in, check out, save): only the CSRF token."""
