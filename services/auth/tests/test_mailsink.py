"""The development mail sink `make run` starts: the auth service's real mails land in a
readable outbox."""

import importlib.util
import json
from email import message_from_bytes
from pathlib import Path

import pytest

SINK = Path(__file__).resolve().parents[3] / "infra/devtools/mailsink.py"


@pytest.fixture
def mailsink(tmp_path, unused_port):
    spec = importlib.util.spec_from_file_location("mailsink", SINK)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    outbox = tmp_path / "mail"
    controller = module.start("127.0.0.1", unused_port, outbox)
    yield unused_port, outbox
    controller.stop()


async def test_reset_mail_lands_in_the_outbox(settings, accounts_factory, mailsink):
    port, outbox = mailsink
    async with accounts_factory(settings.model_copy(update={"smtp_port": port})) as accounts:
        await accounts.register("zed@example.io")
        await accounts.client.post("/forgot-password", json={"email": "zed@example.io"})
        await accounts.client.app.state.auth.mailer.drain()
    index = json.loads((outbox / "index.json").read_text())
    assert [(entry["to"], entry["subject"]) for entry in index] == [
        ("zed@example.io", "Reset your password")
    ]
    mail = message_from_bytes((outbox / index[0]["file"]).read_bytes())
    assert "/reset-password?token=" in mail.get_payload(decode=True).decode()
