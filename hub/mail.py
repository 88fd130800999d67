"""Outgoing mail: SMTP when HUB_SMTP_URL is set, otherwise the log (development).

HUB_SMTP_URL: `smtp://host:25` speaks plain SMTP (a local relay), `smtp+starttls://host:587`
(or `smtp://...?starttls=1`) upgrades with STARTTLS, `smtps://host:465` is TLS from the
first byte; `user:pass@` (percent-encoded) logs in. STARTTLS is never guessed from the port:
a plain relay on 587 refuses it and the mail would never leave.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from urllib.parse import parse_qs, unquote, urlsplit

from flask import current_app

log = logging.getLogger("hub.mail")
SCHEMES = {"smtp": "plain", "smtp+starttls": "starttls", "smtps": "tls"}
DEFAULT_PORTS = {"plain": 25, "starttls": 587, "tls": 465}
TIMEOUT_S = 20.0


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    security: str  # plain, starttls or tls
    username: str | None = None
    password: str | None = None


class MailFailure(Exception):
    """Delivery failed; `permanent` when trying again cannot help (address refused)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


def parse_smtp_url(url: str) -> SmtpSettings:
    """HUB_SMTP_URL -> settings; ValueError with a one-line reason for a bad value."""
    parts = urlsplit(url)
    security = SCHEMES.get(parts.scheme)
    if security is None:
        raise ValueError("use smtp://, smtp+starttls:// or smtps://")
    flag = parse_qs(parts.query).get("starttls", [""])[0].lower()
    if security == "plain" and flag in ("1", "true", "yes"):
        security = "starttls"
    try:
        port = parts.port or DEFAULT_PORTS[security]
    except ValueError:
        raise ValueError("the port must be a number") from None
    if not parts.hostname:
        raise ValueError("name the mail server, e.g. smtp://mail.example.nl:25")
    return SmtpSettings(host=parts.hostname, port=port, security=security,
                        username=unquote(parts.username) if parts.username else None,
                        password=unquote(parts.password) if parts.password else None)


def deliver(message: EmailMessage, settings: SmtpSettings, *,
            timeout: float = TIMEOUT_S) -> None:
    """Hand one message to the SMTP server; raise MailFailure (temporary or permanent)."""
    try:
        _deliver(message, settings, timeout)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _text in exc.recipients.values()]
        raise MailFailure(f"recipient refused: {codes}",
                          permanent=all(500 <= c < 600 for c in codes)) from None
    except smtplib.SMTPResponseException as exc:
        raise MailFailure(f"{exc.smtp_code} {exc.smtp_error!r}"[:300],
                          permanent=exc.smtp_code in (550, 551, 553, 554)) from None
    except (OSError, smtplib.SMTPException) as exc:
        raise MailFailure(f"{type(exc).__name__}: {exc}"[:300]) from None


def _deliver(message: EmailMessage, settings: SmtpSettings, timeout: float) -> None:
    context = ssl.create_default_context()
    if settings.security == "tls":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(settings.host, settings.port, timeout=timeout,
                                              context=context)
    else:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
    with smtp:
        if settings.security == "starttls":
            smtp.starttls(context=context)
        if settings.username:
            smtp.login(settings.username, settings.password or "")
        smtp.send_message(message)


def configured() -> SmtpSettings | None:
    """The app's SMTP settings, or None: mail then goes to the log."""
    url = current_app.config.get("HUB_SMTP_URL")
    return parse_smtp_url(url) if url else None


def sender() -> str:
    return str(current_app.config.get("HUB_MAIL_FROM") or "hub@localhost")


def log_message(message: EmailMessage) -> None:
    """Development without a mail server: the text part goes to the log."""
    body = message.get_body(("plain",))
    text = body.get_content() if body is not None else ""
    log.info("mail to %s: %s\n%s", message["To"], message["Subject"], text)


def send(to: str, subject: str, body: str,
         attachments: list[tuple[str, str, bytes]] | None = None, *,
         secret: bool = False) -> bool:
    """Send a simple message at once (account invitations), or log it without SMTP; a
    `secret` body (an invitation link is a credential) is never logged. True when sent."""
    msg = EmailMessage()
    msg["To"], msg["Subject"], msg["From"] = to, subject, sender()
    msg.set_content(body)
    for filename, mimetype, content in attachments or []:
        maintype, subtype = mimetype.split("/", 1)
        msg.add_attachment(content, maintype=maintype, subtype=subtype, filename=filename)
    settings = configured()
    if settings is None:
        if secret:
            log.info("mail to %s: %s (not sent, no mail server; its link is not logged)",
                     to, subject)
        else:
            log_message(msg)
        return False
    deliver(msg, settings)
    return True
