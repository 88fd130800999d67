"""The MIME shape of a booking mail. Pure (no Flask, no database).

    multipart/mixed
      multipart/alternative
        text/plain
        multipart/related
          text/html            (shows the QR through cid:)
          image/png            (the check-in QR, inline)
        text/calendar; method=REQUEST|CANCEL   (what Outlook and Gmail act on)
      application/ics  invite.ics               (for clients that only read attachments)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email import policy
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid


@dataclass(frozen=True)
class MailContent:
    to_email: str
    to_name: str
    from_email: str
    from_name: str
    subject: str
    text: str
    html: str  # may contain "{qr_cid}" where the QR image goes
    language: str
    date: datetime
    domain: str
    calendar: bytes | None = None
    calendar_method: str | None = None
    qr_png: bytes | None = None
    message_id: str | None = None  # kept from the draft, so every try of a mail carries it


def _calendar_part(calendar: bytes, method: str) -> EmailMessage:
    # RFC 5545 wants CRLF line ends; the default policy would rewrite them to LF before
    # encoding, so this part is written with the SMTP policy, and base64 keeps them intact.
    part = EmailMessage(policy=policy.SMTP)
    part.set_content(calendar.decode("utf-8"), subtype="calendar", cte="base64",
                     params={"method": method})
    return part


def build_message(content: MailContent) -> EmailMessage:
    """One booking mail as described above (parts left out when there is nothing to show)."""
    msg = EmailMessage()
    msg["From"] = formataddr((content.from_name, content.from_email))
    msg["To"] = formataddr((content.to_name, content.to_email))
    msg["Subject"] = content.subject
    msg["Date"] = format_datetime(content.date)
    msg["Message-ID"] = content.message_id or make_msgid(domain=content.domain)
    msg["Content-Language"] = content.language
    msg["Auto-Submitted"] = "auto-generated"  # RFC 3834: no out-of-office replies, please
    msg.set_content(content.text)
    qr_cid = make_msgid(domain=content.domain)
    msg.add_alternative(content.html.replace("{qr_cid}", qr_cid[1:-1]), subtype="html")
    if content.qr_png is not None:
        html_part = msg.get_payload()[1]
        html_part.add_related(content.qr_png, maintype="image", subtype="png", cid=qr_cid,
                              filename="check-in-qr.png", disposition="inline")
    if content.calendar is not None and content.calendar_method:
        msg.attach(_calendar_part(content.calendar, content.calendar_method))
        msg.add_attachment(content.calendar, maintype="application", subtype="ics",
                           filename="invite.ics")
    return msg
