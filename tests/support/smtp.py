"""A real SMTP server for mail tests (aiosmtpd), which can be stopped and started again on
the same port, and helpers to read what arrived: the calendar part and the QR code."""

from __future__ import annotations

import io
import time
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import png
import zxingcpp
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from tests.support.broker import free_port


@dataclass
class Inbox:
    """Collects every message the server accepted, as parsed EmailMessage objects."""

    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.original_content,
                                                _class=EmailMessage, policy=policy.default))
        return "250 OK"


class SmtpServer:
    """aiosmtpd on 127.0.0.1:<port>; `users` turns on AUTH LOGIN/PLAIN (without TLS)."""

    def __init__(self, users: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self.users = users
        self.controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def _authenticate(self, server: Any, session: Any, envelope: Any, mechanism: str,
                      data: Any) -> AuthResult:
        ok = (isinstance(data, LoginPassword) and self.users is not None
              and self.users.get(data.login.decode()) == data.password.decode())
        return AuthResult(success=ok, handled=False)

    def start(self) -> None:
        extra: dict[str, Any] = {}
        if self.users is not None:
            extra = {"authenticator": self._authenticate, "auth_required": False,
                     "auth_require_tls": False}
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port,
                                     **extra)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def wait_for(self, count: int, timeout: float = 5.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.inbox.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.inbox.messages


def parts(message: EmailMessage) -> dict[str, list[EmailMessage]]:
    """Every leaf part by content type."""
    found: dict[str, list[EmailMessage]] = {}
    for part in message.walk():
        if not part.is_multipart():
            found.setdefault(part.get_content_type(), []).append(part)
    return found


def calendar_part(message: EmailMessage) -> tuple[str, bytes]:
    """The text/calendar alternative: its method parameter and its bytes."""
    part = parts(message)["text/calendar"][0]
    return str(part.get_param("method")), part.get_payload(decode=True)


def decode_qr(png_bytes: bytes) -> str:
    """Read a QR code from a PNG with zxing-cpp (greyscale pixels, no Pillow needed)."""
    width, height, rows, info = png.Reader(file=io.BytesIO(png_bytes)).asDirect()
    planes, depth = info["planes"], info["bitdepth"]
    top = (1 << depth) - 1
    pixels = bytearray()
    for row in rows:
        pixels.extend(int(255 * row[i] / top) for i in range(0, len(row), planes))
    found = zxingcpp.read_barcodes(memoryview(bytes(pixels)).cast("B", (height, width)))
    assert found, "no QR code found in the PNG"
    return str(found[0].text)
