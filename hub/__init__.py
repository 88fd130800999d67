"""The booking hub of a shared social-domain building."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask

from hub import config


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the web application: config -> extensions -> blueprints -> error handlers."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config.Defaults)
    environ = None
    if test_config is not None and "HUB_ENVIRON" in test_config:
        environ = dict(test_config["HUB_ENVIRON"])
    settings = config.load(app.instance_path, environ)
    app.config.update(settings.flask_config())
    if test_config is not None:
        app.config.update(test_config)
    app.config["BABEL_DEFAULT_TIMEZONE"] = app.config["HUB_TIMEZONE"]
    logging.basicConfig(level=logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

    from hub import web

    web.init_app(app)
    return app
