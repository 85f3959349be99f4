"""A local SMTP server that delivers nowhere: every mail lands in a readable outbox.

  python infra/devtools/mailsink.py [--host 127.0.0.1] [--port 1025] [--outbox .local/data/mail]

Each message is written as <outbox>/<n>-<timestamp>.eml, and <outbox>/index.json lists them
(file, from, to, subject, received_at), newest last. `make run` starts it for the auth
service's reset-password and verify-e-mail mails.
"""

import argparse
import json
import signal
import threading
from datetime import UTC, datetime
from email.message import Message as EmailMessage
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message


class Outbox(Message):
    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.index_path = folder / "index.json"
        self._lock = threading.Lock()

    def handle_message(self, message: EmailMessage) -> None:
        received_at = datetime.now(UTC)
        with self._lock:
            index = self.read_index()
            name = f"{len(index) + 1:05d}-{received_at.strftime('%Y%m%dT%H%M%S%fZ')}.eml"
            (self.folder / name).write_bytes(message.as_bytes())
            index.append(
                {
                    "file": name,
                    "from": message["From"],
                    "to": message["To"],
                    "subject": message["Subject"],
                    "received_at": received_at.isoformat(),
                }
            )
            temporary = self.index_path.with_suffix(".tmp")
            temporary.write_text(json.dumps(index, indent=2))
            temporary.replace(self.index_path)
        print(f"mail to {message['To']}: {message['Subject']} -> {self.folder / name}", flush=True)

    def read_index(self) -> list[dict[str, str]]:
        if not self.index_path.exists():
            return []
        entries: list[dict[str, str]] = json.loads(self.index_path.read_text())
        return entries


def start(host: str, port: int, outbox: Path) -> Controller:
    controller = Controller(Outbox(outbox), hostname=host, port=port)
    controller.start()
    return controller


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=1025)
    parser.add_argument("--outbox", type=Path, default=Path(".local/data/mail"))
    args = parser.parse_args()
    controller = start(args.host, args.port, args.outbox)
    print(f"mail sink on {args.host}:{args.port}, outbox {args.outbox}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
