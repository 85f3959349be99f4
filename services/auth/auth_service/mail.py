"""Sending mail over SMTP (the standard library's client, run in a worker thread).

Mails go out in the background: a forgot-password request answers at once and takes the same
time whether or not the address has an account.
"""

import asyncio
import smtplib
from email.message import EmailMessage

import structlog

from auth_service.settings import AuthSettings

log = structlog.get_logger("mail")


class Mailer:
    def __init__(self, settings: AuthSettings) -> None:
        self._settings = settings
        self._pending: set[asyncio.Task[None]] = set()

    def send_later(self, to: str, subject: str, body: str) -> None:
        task = asyncio.create_task(self._send_logged(to, subject, body))
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

    async def _send_logged(self, to: str, subject: str, body: str) -> None:
        try:
            await self.send(to, subject, body)
        except (OSError, smtplib.SMTPException) as error:
            log.error("mail not sent", subject=subject, error=str(error))
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
