"""The council report as a PDF: Debian's chromium prints the same page (print CSS, inline
SVG charts) with --print-to-pdf. No PDF layout code of our own; the page is the layout."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from hub.errors import HubError

TIMEOUT_S = 90


class PdfUnavailable(HubError):
    status = 503
    code = "pdf_unavailable"


def chromium() -> str | None:
    configured = current_app.config.get("HUB_CHROMIUM") or os.environ.get("HUB_CHROMIUM")
    return configured or shutil.which("chromium") or shutil.which("chromium-browser")


def inline_css() -> str:
    static = Path(current_app.static_folder or "")
    return "\n".join((static / name).read_text(encoding="utf-8")
                     for name in ("hub.css", "insights.css"))


def render(html: str) -> bytes:
    """HTML (self-contained: inline CSS and SVG) to PDF bytes."""
    binary = chromium()
    if binary is None:
        raise PdfUnavailable(_("The PDF needs chromium on the server; print the report page "
                               "to PDF from the browser instead."))
    with tempfile.TemporaryDirectory(prefix="hub-report-") as folder:
        page, out = Path(folder) / "report.html", Path(folder) / "report.pdf"
        page.write_text(html, encoding="utf-8")
        command = [binary, "--headless", "--no-sandbox", "--disable-gpu",
                   "--disable-background-networking", "--no-pdf-header-footer",
                   f"--user-data-dir={folder}/profile", f"--print-to-pdf={out}",
                   page.as_uri()]
        try:
            subprocess.run(command, check=True, timeout=TIMEOUT_S, capture_output=True)
        except (subprocess.SubprocessError, OSError) as exc:
            raise PdfUnavailable(_("The PDF could not be made; print the report page to PDF "
                                   "from the browser instead.")) from exc
        if not out.exists() or out.stat().st_size == 0:
            raise PdfUnavailable(_("The PDF could not be made; print the report page to PDF "
                                   "from the browser instead."))
        return out.read_bytes()
