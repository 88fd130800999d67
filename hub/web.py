"""Wiring of extensions, blueprints, template helpers and error handlers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import Flask, g, has_request_context, session
from flask_babel import format_date, format_datetime, format_decimal, format_time
from flask_login import current_user

from hub import db as unit_of_work
from hub import errors, readcache, registries
from hub.extensions import api, babel, csrf, db, login_manager, migrate


def _select_locale() -> str:
    if not has_request_context():
        return "nl"
    if current_user and current_user.is_authenticated:
        return str(current_user.language)
    lang = session.get("lang")
    if lang in ("nl", "en"):
        return str(lang)
    return "nl"


def _load_user(user_id: str) -> Any:
    from hub.accounts.sessions import user_for_session
    from hub.timeutil import utcnow

    return user_for_session(user_id, now=utcnow())


def init_app(app: Flask) -> None:
    import hub.models  # noqa: F401  (all tables known to metadata and Alembic)

    registries.init_app(app)
    db.init_app(app)
    # Runs before Flask-SQLAlchemy's own teardown (teardowns run last-registered first).
    app.teardown_appcontext(unit_of_work.end_session)
    with app.app_context():
        unit_of_work.install(db.engine)
        readcache.install(app, db.engine)
    migrate.init_app(app, db, directory=app.config.get("HUB_MIGRATIONS", _migrations_dir()),
                     compare_type=True, render_as_batch=True)
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.session_protection = "strong"
    login_manager.user_loader(_load_user)
    from flask_babel import lazy_gettext

    login_manager.login_message = lazy_gettext("Log in to see this page.")
    csrf.init_app(app)
    babel.init_app(app, locale_selector=_select_locale,
                   default_translation_directories="translations")
    from hub import openapi, security

    security.init_app(app)
    openapi.prepare(api)
    api.init_app(app, spec_kwargs={"extra_plugins": [openapi.ErrorResponses()],
                                   "components": {"securitySchemes": {
        "bearer": {"type": "http", "scheme": "bearer"},
        "session": {"type": "apiKey", "in": "cookie", "name": "session"}}},
        "security": [{"bearer": []}, {"session": []}]})
    _register_blueprints(app)
    errors.register_handlers(app)  # after api.init_app: ours replace flask-smorest's handlers
    _template_helpers(app)
    _security_headers(app)
    from hub import cli

    cli.register(app)


def _migrations_dir() -> str:
    from pathlib import Path

    return str(Path(__file__).resolve().parent.parent / "migrations")


def _register_blueprints(app: Flask) -> None:
    from hub import apiauth, site
    from hub.accounts import api as accounts_api
    from hub.accounts import views as accounts_views
    from hub.booking import register as register_booking
    from hub.booking.api import bookings as booking_api
    from hub.booking.api import plaza as plaza_api
    from hub.booking.web import (  # noqa: F401  (routes on booking_pages.bp)
        cancel,
        colleagues,
        floor,
        week,
    )
    from hub.booking.web import pages as booking_pages
    from hub.booking.web.home import bp as home_bp
    from hub.booking.web.plaza import bp as plaza_bp
    from hub.building import api as building_api
    from hub.building import floorplans  # noqa: F401  (routes on building.bp)
    from hub.building import views as building_views
    from hub.calendar import register as register_calendar
    from hub.insights import register as register_insights
    from hub.kiosk import register as register_kiosk
    from hub.ops import register as register_ops
    from hub.sensors import api as sensors_api
    from hub.sensors import register as register_sensors
    from hub.sensors import views as sensors_views

    app.before_request(apiauth.authenticate_api_request)
    app.register_blueprint(accounts_views.bp)
    app.register_blueprint(building_views.bp)
    app.register_blueprint(home_bp)
    app.register_blueprint(site.bp)
    app.context_processor(site.theme_context)
    app.register_blueprint(booking_pages.bp)
    app.register_blueprint(sensors_views.bp)
    app.register_blueprint(plaza_bp)
    register_sensors(app)
    register_booking(app)
    register_kiosk(app)
    register_calendar(app)
    register_insights(app)
    register_ops(app)
    for blueprint in (accounts_api.blp, building_api.blp, sensors_api.blp, booking_api.blp,
                      plaza_api.blp):
        api.register_blueprint(blueprint, url_prefix="/api/v1")
        csrf.exempt(blueprint)


def _template_helpers(app: Flask) -> None:
    app.jinja_env.filters["date"] = lambda v, f="medium": format_date(v, f) if v else ""
    app.jinja_env.filters["time"] = lambda v, f="HH:mm": format_time(v, f) if v else ""
    app.jinja_env.filters["datetime"] = (
        lambda v, f="d MMM yyyy HH:mm": format_datetime(v, f) if v else "")
    app.jinja_env.filters["number"] = lambda v: format_decimal(v) if v is not None else ""

    @app.context_processor
    def _globals() -> dict[str, Any]:
        from flask_babel import get_locale

        return {"current_locale": str(get_locale() or "nl"), "now_utc": datetime.now}


def _security_headers(app: Flask) -> None:
    # The headers themselves: hub/security.py.
    @app.after_request
    def _headers(response: Any) -> Any:
        # Who called is per request; where an app context outlives requests (tests, the CLI)
        # the next request must not inherit this caller.
        g.pop("api_user", None)
        g.pop("_login_user", None)
        return response
