"""HUB_SMTP_URL as the contract names it, against a real SMTP server (aiosmtpd)."""

from __future__ import annotations

from email.message import EmailMessage

import pytest

from hub.mail import MailFailure, SmtpSettings, deliver, parse_smtp_url
from tests.support.smtp import SmtpServer


@pytest.mark.parametrize(("url", "expected"), [
    ("smtp://relay.local", SmtpSettings("relay.local", 25, "plain")),
    ("smtp://relay.local:587", SmtpSettings("relay.local", 587, "plain")),
    ("smtp://relay.local:587?starttls=1", SmtpSettings("relay.local", 587, "starttls")),
    ("smtp+starttls://mail.example.nl", SmtpSettings("mail.example.nl", 587, "starttls")),
    ("smtps://hub%40gemeente.nl:p%40ss@mail.example.nl",
     SmtpSettings("mail.example.nl", 465, "tls", "hub@gemeente.nl", "p@ss")),
])
def test_the_url_decides_plain_starttls_or_tls_never_the_port(url: str,
                                                              expected: SmtpSettings) -> None:
    assert parse_smtp_url(url) == expected


@pytest.mark.parametrize("url", ["http://mail", "smtp://", "smtp://mail:port"])
def test_a_bad_url_is_refused_with_a_reason(url: str) -> None:
    with pytest.raises(ValueError):
        parse_smtp_url(url)


def _message() -> EmailMessage:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "hub@hub.test", "wim@example.nl", "Hallo"
    msg.set_content("Tekst")
    return msg


def test_plain_smtp_on_587_sends_without_starttls_and_logs_in() -> None:
    # A plain local relay on 587: the old code called starttls() here and every mail failed.
    server = SmtpServer(users={"hub": "geheim"})
    server.start()
    try:
        deliver(_message(), parse_smtp_url(f"smtp://hub:geheim@127.0.0.1:{server.port}"))
        (received,) = server.wait_for(1)
        assert received["Subject"] == "Hallo"
        with pytest.raises(MailFailure) as refused:
            deliver(_message(), parse_smtp_url(f"smtp://hub:fout@127.0.0.1:{server.port}"))
        assert "535" in str(refused.value)
    finally:
        server.stop()


def test_a_server_that_is_down_is_a_temporary_failure() -> None:
    server = SmtpServer()  # never started: nothing listens on its port
    with pytest.raises(MailFailure) as failure:
        deliver(_message(), parse_smtp_url(server.url), timeout=2)
    assert failure.value.permanent is False
