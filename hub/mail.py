"""Outgoing mail: SMTP when HUB_SMTP_URL is set, otherwise the log (development)."""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from urllib.parse import unquote, urlsplit

from flask import current_app

log = logging.getLogger("hub.mail")


def send(to: str, subject: str, body: str,
         attachments: list[tuple[str, str, bytes]] | None = None) -> None:
    """Send a message, or log it when no SMTP server is configured."""
    url = current_app.config.get("HUB_SMTP_URL")
    if not url:
        log.info("mail to %s: %s\n%s", to, subject, body)
        return
    msg = EmailMessage()
    msg["To"], msg["Subject"] = to, subject
    msg["From"] = current_app.config.get("HUB_MAIL_FROM", "hub@localhost")
    msg.set_content(body)
    for filename, mimetype, content in attachments or []:
        maintype, subtype = mimetype.split("/", 1)
        msg.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    parts = urlsplit(url)
    cls = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    with cls(parts.hostname or "localhost", parts.port or 587, timeout=20) as smtp:
        if parts.scheme == "smtp" and parts.port != 25:
            smtp.starttls()
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        smtp.send_message(msg)
