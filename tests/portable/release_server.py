#!/usr/bin/env python3
"""A release's download host over HTTPS on 127.0.0.1, for tests/portable/run.sh.

It serves the files of --dir as GitHub serves release assets: a request for
`/releases/download/<tag>/<file>` is answered `302` with a `Location` on
another host name (`https://localhost:<port>/assets/<tag>/<file>`, as
github.com sends its asset downloads to objects.githubusercontent.com), and the
asset itself comes from there, read from `<dir>/<tag>/<file>`; anything else
is `404`. What a test wants served (a good asset, a tampered one) it writes
into the folder before the run, so the knob is the folder itself; a file
`<dir>/<tag>/<file>.status` holding a number makes that asset answer that
status instead (a 500, a 404), and a file `<dir>/<tag>/<file>.location`
makes the redirect point where it says.

Every request is logged, before it is answered, as one JSON line in --log:
time, method, path, the Host header and all headers in arrival order.

Python 3.11 standard library. Stops on SIGTERM or SIGINT.
"""

from __future__ import annotations

import argparse
import json
import signal
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    root: Path  # set on the class by main()
    log: Path
    lock = threading.Lock()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib name)
        sys.stderr.write("release-server: " + (format % args) + "\n")

    def record(self) -> None:
        entry = {
            "time": time.time(),
            "method": self.command,
            "path": self.path,
            "host": self.headers.get("Host", ""),
            "headers": [[name, value] for name, value in self.headers.items()],
        }
        with self.lock, self.log.open("a", encoding="utf-8") as f:
            f.write(json.dumps(entry, separators=(",", ":")) + "\n")

    def answer(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_GET(self) -> None:  # noqa: N802 (stdlib name)
        self.record()
        parts = urllib.parse.urlsplit(self.path).path.split("/")
        # ["", "releases", "download", TAG, FILE] or ["", "assets", TAG, FILE]
        if len(parts) == 5 and parts[1:3] == ["releases", "download"] and all(p not in ("", ".", "..") for p in parts[3:]):
            port = self.server.server_address[1]
            location = f"https://localhost:{port}/assets/{parts[3]}/{parts[4]}"
            elsewhere = self.root / parts[3] / (parts[4] + ".location")
            if elsewhere.is_file():
                location = elsewhere.read_text().strip()
            self.answer(302, b"", {"Location": location})
            return
        if len(parts) == 4 and parts[1] == "assets" and all(p not in ("", ".", "..") for p in parts[2:]):
            file = self.root / parts[2] / parts[3]
            status_file = file.with_name(file.name + ".status")
            if status_file.is_file():
                self.answer(int(status_file.read_text().strip()), b"refused by the test\n")
                return
            if file.is_file():
                self.answer(200, file.read_bytes(), {"Content-Type": "application/octet-stream"})
                return
        self.answer(404, b"Not Found\n")

    do_HEAD = do_GET


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], context: ssl.SSLContext) -> None:
        super().__init__(address, Handler)
        self.context = context

    def get_request(self):  # type: ignore[no-untyped-def]
        sock, addr = super().get_request()
        return self.context.wrap_socket(sock, server_side=True), addr

    def handle_error(self, request, client_address) -> None:  # type: ignore[no-untyped-def]
        kind = sys.exc_info()[0]
        if kind is not None and issubclass(kind, (ssl.SSLError, ConnectionError)):
            sys.stderr.write(f"release-server: connection from {client_address} failed: {sys.exc_info()[1]}\n")
            return
        super().handle_error(request, client_address)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, required=True, help="the release folder: <dir>/<tag>/<file>")
    parser.add_argument("--cert", type=Path, required=True, help="certificate chain for 127.0.0.1 and localhost (PEM)")
    parser.add_argument("--key", type=Path, required=True)
    parser.add_argument("--log", type=Path, required=True, help="JSON-lines request log (appended)")
    parser.add_argument("--port-file", type=Path, required=True, help="written with the port once listening")
    args = parser.parse_args()

    Handler.root = args.dir
    Handler.log = args.log
    args.log.touch()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(args.cert, args.key)
    server = Server(("127.0.0.1", 0), context)
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
