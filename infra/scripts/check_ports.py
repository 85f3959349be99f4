"""Fail with one clear line if a port `make run` needs is already taken."""

import socket
import sys


def main(pairs: list[str]) -> int:
    for pair in pairs:
        name, address = pair.split("=", 1)
        host, port = address.rsplit(":", 1)
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind((host, int(port)))
            except OSError:
                print(
                    f"error: port {port} ({name}) on {host} is already in use: stop what holds it "
                    f"(ss -ltnp 'sport = :{port}') or choose another port (see docs/operations.md)",
                    file=sys.stderr,
                )
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
