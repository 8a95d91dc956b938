#!/usr/bin/env python3
"""A fake GitHub API for the fan-out benchmark, and the checks on what it saw.

    fanout_fake.py serve --scale S --port-file F --log LOG.jsonl [--latency SECONDS] [--limit 80]
    fanout_fake.py check --log LOG.jsonl --scale S --repos N --elapsed SECONDS --exit-code C
                         [--outputs GITHUB_OUTPUT] [--interval SECONDS] [--tolerance 0.10]

serve: plain HTTP on 127.0.0.1 (the binary allows http:// to loopback). It answers
`POST /repos/{owner}/{repo}/dispatches` with 204 and enforces GitHub's secondary
limit for content-creating requests, scaled in time: at most LIMIT (80) accepted
requests in any sliding window of 60 s x SCALE. A request that would be the
81st in the window gets `403` with GitHub's secondary-rate-limit body and is
counted as a rejection (it is not counted in the window). A dispatch that
arrives while another is being answered is a concurrent write: it is counted
(and still answered). Each dispatch is answered after LATENCY seconds (default
1 ms, so that overlapping requests would be seen). Headers are checked
minimally: `Authorization: Bearer <something>`, a `User-Agent`, and
`X-GitHub-Api-Version: 2022-11-28`; a request without them gets 401/400 and is
counted as invalid. Every request is one JSON line in LOG: repository, arrival
time (seconds since the fake started, monotonic), status, whether it was
concurrent, the client's port. Anything else gets 404.

check: reads LOG and decides: every repository o/r000.. dispatched exactly once
(N accepted requests, N distinct), zero rate-limit rejections, zero concurrent
writes, zero invalid requests, exit code 0, the `results` output (if given)
listing N dispatched repositories, and the total time within TOLERANCE of the
minimum the limit allows. Prints the figures; exits 1 on a miss.

The minimum, stated: with at most L = 80 writes in any window of W = 60 s x
SCALE, request number k (1-based) cannot arrive before
floor((k - 1) / L) x W after the first, so N requests take at least
T_min = floor((N - 1) / L) x W; for N = 200 that is 2 W (the 161st request
cannot go before 120 s, scaled). With a dispatch interval I between writes as
well, T_min = max(floor((N - 1) / L) x W, (N - 1) x I x SCALE).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import re
import signal
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SECONDARY_LIMIT_BODY = json.dumps({
    "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again. "
               "If you reach out to GitHub Support for help, please include the request ID "
               "DEAD:BEEF:0000000:0000000:00000000.",
    "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits",
    "status": "403",
}).encode()

DISPATCH_PATH = re.compile(r"^/repos/([A-Za-z0-9_.-]+)/([A-Za-z0-9_.-]+)/dispatches$")


class State:
    def __init__(self, scale: float, limit: int, latency: float, log_path: str):
        self.window = 60.0 * scale
        self.limit = limit
        self.latency = latency
        self.lock = threading.Lock()
        self.accepted: collections.deque[float] = collections.deque()
        self.in_flight = 0
        self.start = time.monotonic()
        self.log = open(log_path, "a", buffering=1, encoding="utf-8")

    def record(self, entry: dict) -> None:
        with self.lock:
            self.log.write(json.dumps(entry) + "\n")


def make_handler(state: State):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as GitHub

        def log_message(self, fmt, *args):  # quiet
            pass

        def _answer(self, status: int, body: bytes = b"", headers: dict | None = None) -> None:
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            if status != 204:
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if status != 204:
                self.wfile.write(body)

        def _read_body(self) -> bytes:
            n = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(n) if n else b""

        def do_GET(self):
            self._answer(404, b'{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}')

        def do_POST(self):
            arrived = time.monotonic() - state.start
            body = self._read_body()
            m = DISPATCH_PATH.match(self.path)
            if not m:
                self._answer(404, b'{"message":"Not Found","documentation_url":"https://docs.github.com/rest"}')
                return
            repo = f"{m.group(1)}/{m.group(2)}"
            with state.lock:
                state.in_flight += 1
                concurrent = state.in_flight > 1
            try:
                entry = {"repo": repo, "t": arrived, "concurrent": concurrent, "port": self.client_address[1]}
                auth = self.headers.get("Authorization", "")
                problem = None
                if not (auth.startswith("Bearer ") and len(auth) > len("Bearer ")):
                    problem = (401, b'{"message":"Requires authentication","documentation_url":"https://docs.github.com/rest"}')
                elif not self.headers.get("User-Agent"):
                    problem = (403, b'{"message":"Request forbidden by administrative rules. Please make sure your request has a User-Agent header"}')
                elif self.headers.get("X-GitHub-Api-Version") != "2022-11-28":
                    problem = (400, b'{"message":"Invalid API version","documentation_url":"https://docs.github.com/rest"}')
                else:
                    try:
                        doc = json.loads(body)
                        if not isinstance(doc, dict) or not isinstance(doc.get("event_type"), str):
                            raise ValueError
                    except ValueError:
                        problem = (422, b'{"message":"Invalid request.","documentation_url":"https://docs.github.com/rest"}')
                if problem:
                    entry.update(status=problem[0], invalid=True)
                    state.record(entry)
                    self._answer(*problem)
                    return
                with state.lock:
                    now = time.monotonic() - state.start
                    while state.accepted and state.accepted[0] <= now - state.window:
                        state.accepted.popleft()
                    allowed = len(state.accepted) < state.limit
                    if allowed:
                        state.accepted.append(now)
                    in_window = len(state.accepted)
                reset = int(time.time()) + 3600
                rate_headers = {"x-ratelimit-limit": "5000", "x-ratelimit-remaining": "4000",
                                "x-ratelimit-used": "1000", "x-ratelimit-reset": str(reset),
                                "x-ratelimit-resource": "core", "x-github-request-id": f"FAKE:{os.getpid()}:{now:.6f}"}
                if state.latency:
                    time.sleep(state.latency)
                if allowed:
                    entry.update(status=204, in_window=in_window)
                    state.record(entry)
                    self._answer(204, headers=rate_headers)
                else:
                    entry.update(status=403, rejected=True, in_window=in_window)
                    state.record(entry)
                    self._answer(403, SECONDARY_LIMIT_BODY, rate_headers)
            finally:
                with state.lock:
                    state.in_flight -= 1

    return Handler


def serve(args) -> int:
    state = State(args.scale, args.limit, args.latency, args.log)
    server = ThreadingHTTPServer(("127.0.0.1", 0), make_handler(state))
    server.daemon_threads = True
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    tmp = args.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_address[1]))
    os.replace(tmp, args.port_file)
    server.serve_forever(poll_interval=0.05)
    return 0


def parse_outputs(path: str) -> dict:
    """GITHUB_OUTPUT: NAME=VALUE or NAME<<DELIM ... DELIM."""
    out, lines, i = {}, open(path, encoding="utf-8").read().split("\n"), 0
    while i < len(lines):
        line = lines[i]
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            j = lines.index(delim, i + 1)
            out[name] = "\n".join(lines[i + 1:j])
            i = j + 1
        elif "=" in line:
            name, value = line.split("=", 1)
            out[name] = value
            i += 1
        else:
            i += 1
    return out


def check(args) -> int:
    entries = [json.loads(l) for l in open(args.log, encoding="utf-8") if l.strip()]
    ok_entries = [e for e in entries if e["status"] == 204]
    rejected = [e for e in entries if e.get("rejected")]
    invalid = [e for e in entries if e.get("invalid")]
    concurrent = [e for e in entries if e["concurrent"]]
    expected = {f"o/r{i:03d}" for i in range(args.repos)}
    counts = collections.Counter(e["repo"] for e in ok_entries)
    twice = sorted(r for r, c in counts.items() if c > 1)
    missing = sorted(expected - counts.keys())
    unexpected = sorted(counts.keys() - expected)
    window = 60.0 * args.scale
    limit = args.limit
    n = args.repos
    t_window = ((n - 1) // limit) * window
    t_interval = (n - 1) * args.interval * args.scale
    t_min = max(t_window, t_interval)
    ratio = args.elapsed / t_min if t_min > 0 else float("nan")

    times = sorted(e["t"] for e in ok_entries)
    # The most accepted requests seen in any window (t - W, t] (the fake's rule).
    most, lo = 0, 0
    for hi, t in enumerate(times):
        while times[lo] <= t - window:
            lo += 1
        most = max(most, hi - lo + 1)
    ports = len({e["port"] for e in entries})

    print(f"requests received: {len(entries)} ({len(ok_entries)} answered 204, {len(rejected)} rate-limit rejections, "
          f"{len(invalid)} invalid, {len(concurrent)} concurrent), over {ports} connection(s)")
    print(f"distinct repositories dispatched: {len(counts)} of {n}")
    if times:
        marks = [k for k in (1, limit + 1, 2 * limit + 1, n) if k <= len(times)]
        rel = ", ".join(f"#{k} at {times[k - 1] - times[0]:.3f} s" for k in marks)
        print(f"arrival times after the first (server clock): {rel}")
        print(f"most accepted requests in any {window:.3f} s window: {most} (limit {limit})")
    print(f"minimum the limit allows: T_min = max(floor((N-1)/L) x W, (N-1) x I x SCALE) "
          f"= max(floor({n - 1}/{limit}) x {window:.3f} s, {n - 1} x {args.interval:g} s x {args.scale:g}) = {t_min:.3f} s")
    print(f"total time (process start to exit): {args.elapsed:.3f} s = {ratio:.3f} x T_min "
          f"(unscaled equivalent: {args.elapsed / args.scale:.1f} s against {t_min / args.scale:.1f} s)")

    problems = []
    if args.exit_code != 0:
        problems.append(f"exit code {args.exit_code}")
    if missing:
        problems.append(f"{len(missing)} repositories never dispatched (first: {missing[:5]})")
    if twice:
        problems.append(f"{len(twice)} repositories dispatched more than once (first: {twice[:5]})")
    if unexpected:
        problems.append(f"unexpected repositories {unexpected[:5]}")
    if len(ok_entries) != n:
        problems.append(f"{len(ok_entries)} accepted dispatches, expected {n}")
    if rejected:
        problems.append(f"{len(rejected)} rate-limit rejections")
    if concurrent:
        problems.append(f"{len(concurrent)} concurrent writes")
    if invalid:
        problems.append(f"{len(invalid)} requests without the required headers or body")
    if args.outputs:
        try:
            results = json.loads(parse_outputs(args.outputs)["results"])
            done = [r for r in results if r.get("status") == "dispatched"]
            if len(results) != n or len(done) != n:
                problems.append(f"results output: {len(results)} entries, {len(done)} dispatched, expected {n}")
        except (KeyError, ValueError, OSError) as e:
            problems.append(f"results output unreadable: {e!r}")
    if args.tolerance is not None and not ratio <= 1.0 + args.tolerance:
        problems.append(f"total time {ratio:.3f} x the minimum, more than {1.0 + args.tolerance:.2f} x")
    if problems:
        print("FAIL: " + "; ".join(problems))
        return 1
    what = f"time within {args.tolerance:.0%} of the minimum" if args.tolerance is not None else "time informational"
    print(f"PASS: {n} repositories dispatched exactly once, no rejections, no concurrent writes, exit 0, {what}")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("serve")
    s.add_argument("--scale", type=float, required=True)
    s.add_argument("--port-file", required=True)
    s.add_argument("--log", required=True)
    s.add_argument("--latency", type=float, default=0.001)
    s.add_argument("--limit", type=int, default=80)
    c = sub.add_parser("check")
    c.add_argument("--log", required=True)
    c.add_argument("--scale", type=float, required=True)
    c.add_argument("--repos", type=int, required=True)
    c.add_argument("--elapsed", type=float, required=True)
    c.add_argument("--exit-code", type=int, required=True)
    c.add_argument("--outputs", default="")
    c.add_argument("--interval", type=float, default=0.0, help="dispatch-interval in (unscaled) seconds")
    c.add_argument("--limit", type=int, default=80)
    c.add_argument("--tolerance", type=float, default=None, help="fail if total > (1 + tolerance) x T_min")
    args = ap.parse_args()
    return serve(args) if args.cmd == "serve" else check(args)


if __name__ == "__main__":
    sys.exit(main())
