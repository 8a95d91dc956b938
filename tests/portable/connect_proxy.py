#!/usr/bin/env python3
"""A forward proxy that only tunnels (HTTP CONNECT), for tests/portable/run.sh.

Listens on 127.0.0.1 (plain HTTP, as HTTPS_PROXY=http://... proxies do),
answers `CONNECT host:port` with `200 Connection established` and copies bytes
both ways; anything else gets `405`. Each request line is appended to --log as
one JSON line (time, the line, the headers) before it is served, so the test
sees which downloads went through it.

Python 3.11 standard library. Stops on SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import json
import select
import signal
import socket
import socketserver
import sys
import threading
import time
from pathlib import Path
from typing import Any

LOCK = threading.Lock()


class Handler(socketserver.StreamRequestHandler):
    log: Path  # set on the class by main()

    def handle(self) -> None:
        line = self.rfile.readline(65536).decode("latin-1").rstrip("\r\n")
        headers = []
        while True:
            header = self.rfile.readline(65536).decode("latin-1").rstrip("\r\n")
            if not header:
                break
            headers.append(header)
        with LOCK, self.log.open("a", encoding="utf-8") as f:
            f.write(json.dumps({"time": time.time(), "line": line, "headers": headers}) + "\n")
        method, _, rest = line.partition(" ")
        target = rest.split(" ")[0]
        if method != "CONNECT":
            self.wfile.write(b"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n")
            return
        host, _, port = target.rpartition(":")
        try:
            upstream = socket.create_connection((host.strip("[]"), int(port)), timeout=10)
        except (OSError, ValueError) as e:
            self.wfile.write(f"HTTP/1.1 502 Bad Gateway\r\nContent-Length: {len(str(e))}\r\n\r\n{e}".encode())
            return
        self.wfile.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        self.wfile.flush()
        client = self.connection
        # Bytes the reader already took past the headers go first.
        pending = self.rfile.peek(0) if hasattr(self.rfile, "peek") else b""
        if pending:
            upstream.sendall(self.rfile.read(len(pending)))
        with upstream:
            sockets = [client, upstream]
            while True:
                readable, _, _ = select.select(sockets, [], [], 30)
                if not readable:
                    return
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    (upstream if sock is client else client).sendall(data)


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--log", type=Path, required=True, help="JSON-lines log of request lines (appended)")
    parser.add_argument("--port-file", type=Path, required=True, help="written with the port once listening")
    args = parser.parse_args()
    Handler.log = args.log
    args.log.touch()
    server = Server(("127.0.0.1", 0), Handler)
    port_tmp = args.port_file.with_suffix(".tmp")
    port_tmp.write_text(f"{server.server_address[1]}\n", encoding="ascii")
    port_tmp.replace(args.port_file)

    def stop(_signum: int, _frame: Any) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
