"""Sending mail over SMTP (the standard library's client, run in a worker thread).

Mails go out in the background, after the answer. A reset mail is also composed there (its
token costs an argon2 run), so forgot-password answers as fast for an address with an account
as for one without, and the timing does not tell which addresses have accounts.
"""

import asyncio
import smtplib
from collections.abc import Coroutine
from email.message import EmailMessage
from typing import Any

import structlog

from auth_service.settings import AuthSettings

log = structlog.get_logger("mail")


class Mailer:
    def __init__(self, settings: AuthSettings) -> None:
        self._settings = settings
        self._pending: set[asyncio.Task[None]] = set()

    def send_later(self, to: str, subject: str, body: str) -> None:
        self.later(subject, self.send(to, subject, body))

    def later(self, subject: str, sending: Coroutine[Any, Any, None]) -> None:
        """Runs `sending` (whatever composes the mail, then `send`) in the background; its
        failures are logged, and `drain` waits for it."""
        task = asyncio.create_task(self._logged(subject, sending))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def drain(self) -> None:
        """Waits for mails still being sent (at shutdown)."""
        if self._pending:
            await asyncio.gather(*self._pending, return_exceptions=True)

    async def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self._settings.mail_from
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        await asyncio.to_thread(self._deliver, message)

    async def _logged(self, subject: str, sending: Coroutine[Any, Any, None]) -> None:
        try:
            await sending
        except (OSError, smtplib.SMTPException) as error:
            log.error("mail not sent", subject=subject, error=str(error))
        except Exception:
            # Nobody awaits this task's outcome: whatever else fails must reach the log.
            log.exception("mail not sent", subject=subject)
        else:
            log.info("mail sent", subject=subject)

    def _deliver(self, message: EmailMessage) -> None:
        settings = self._settings
        with smtplib.SMTP(
            settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout_s
        ) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_username and settings.smtp_password:
                smtp.login(settings.smtp_username, settings.smtp_password.get_secret_value())
            smtp.send_message(message)
