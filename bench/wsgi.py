"""The app the bench's gunicorn serves: `hub.create_app()` as production runs it.

The trivial endpoint of the figures is the hub's own `/healthz` (the process answers); only
while the hub has none yet, the bench adds one that answers the same way."""

from __future__ import annotations

from bench.server import TRIVIAL
from hub import create_app

app = create_app()
if not any(rule.rule == TRIVIAL for rule in app.url_map.iter_rules()):
    app.add_url_rule(TRIVIAL, "bench_healthz", lambda: ("ok", 200, {"Content-Type": "text/plain"}))
