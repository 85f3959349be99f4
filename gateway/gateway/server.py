"""uvicorn's httptools protocol with a deadline for the request head and a lingering close.

uvicorn closes idle keep-alive connections, but nothing bounds a client that opens a
connection and sends its request line and headers slowly or never (slowloris): each such
connection would stay open for ever. This protocol closes a connection whose request head
is not complete `head_timeout_s` after the connection opened or the request's first byte.
(Request bodies have their own idle timeout in the proxy.)

When the gateway answers before it has read the whole request body (408 for a body too
slow, 413 for one too large, any refusal with `Connection: close`), the client may still be
sending. Closing the socket with unread bytes, or receiving bytes after the close, makes the
kernel reset the connection, and a reset can drop the answer before the client reads it. So
such a close lingers, as nginx's `lingering_close` does: the answer is sent followed by a
FIN (the client reads it whole and sees the end), then whatever still arrives is read and
thrown away until the client closes its side, `linger_s` passes or `linger_max_bytes`
have been discarded; only then is the socket closed.
"""

import asyncio
from typing import Any, cast

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


class _CloseLingers:
    """The connection's transport as uvicorn sees it: the same socket, except that closing it
    is left to the protocol, which lingers when the request body is not all read."""

    def __init__(self, transport: asyncio.Transport, protocol: "GatewayProtocol") -> None:
        self._transport = transport
        self._protocol = protocol

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)

    def close(self) -> None:
        self._protocol.close_connection()

    def is_closing(self) -> bool:
        return self._protocol.lingering or self._transport.is_closing()


class GatewayProtocol(HttpToolsProtocol):
    head_timeout_s = 10.0
    linger_s = 2.0
    linger_max_bytes = 256 * 1024
    lingering = False
    _socket: asyncio.Transport
    _head_deadline: asyncio.TimerHandle | None = None
    _linger_deadline: asyncio.TimerHandle | None = None
    _body_unread = False
    _discarded = 0

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._socket = transport
        super().connection_made(cast(asyncio.Transport, _CloseLingers(transport, self)))
        self._start_head_deadline()

    def data_received(self, data: bytes) -> None:
        if not self.lingering:
            super().data_received(data)
            return
        self._discarded += len(data)
        if self._discarded > self.linger_max_bytes:
            self._socket.close()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._start_head_deadline()

    def on_headers_complete(self) -> None:
        self._stop_head_deadline()
        self._body_unread = True
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._body_unread = False
        super().on_message_complete()

    def connection_lost(self, exc: Exception | None) -> None:
        self._stop_head_deadline()
        if self._linger_deadline is not None:
            self._linger_deadline.cancel()
        super().connection_lost(exc)

    def close_connection(self) -> None:
        """Closes now, unless the client may still be sending the request body: then the
        answer goes out with a FIN and the close lingers (see the module's docstring)."""
        socket = self._socket
        if self.lingering or not self._body_unread or socket.is_closing():
            socket.close()
            return
        if not socket.can_write_eof():  # TLS: no half-close
            socket.close()
            return
        self.lingering = True
        socket.write_eof()
        socket.resume_reading()
        self._linger_deadline = self.loop.call_later(self.linger_s, socket.close)

    def _start_head_deadline(self) -> None:
        self._stop_head_deadline()
        self._head_deadline = self.loop.call_later(self.head_timeout_s, self._head_too_slow)

    def _stop_head_deadline(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _head_too_slow(self) -> None:
        self._head_deadline = None
        if not self._socket.is_closing():
            self._socket.close()
