#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tests/httpd.py: the local portal the URL tests talk to. Never contacts another host.

Serves files from --root on every --bind address (a random free port each), writes
"ADDR PORT" lines to --portfile once listening, and logs every request it receives
(path, Authorization, Cookie, Range, conditional headers, X-Portal-Key) as one JSON line
to --log, so a test can check which credentials reached which host.

Routes (NAME is a file under --root):
  /files/NAME[?cd=HEADER]     the file; ETag, Last-Modified, Range, If-None-Match -> 304
  /bearer/NAME                needs "Authorization: Bearer <--token>", else 401
  /basic/NAME                 needs Basic auth <--user>, else 401
  /cookie/NAME                needs the cookie <--cookie>, else 302 to /login
  /login                      a 200 HTML sign-in page
  /redirect?to=URL            302 to URL
  /loop                       redirects to itself forever
  /flaky/KEY/NAME?fail=N      503 (Retry-After: 1) for the first N requests of KEY
  /drop/KEY/NAME              first request of KEY: half the body, then the connection drops
  /stall/NAME                 headers and a few bytes, then nothing
  /endless                    a body that never ends
  /slow/NAME?delay=S          the file after S seconds
  /trickle?every=S            a PDF's headers, then one byte every S seconds (at most 10 minutes)
  /status/CODE                that status
"""
import argparse
import email.utils
import hashlib
import json
import os
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
COUNTS = {}
ARGS = None


def count(key):
    with LOCK:
        COUNTS[key] = COUNTS.get(key, 0) + 1
        return COUNTS[key]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def log_request_line(self):
        rec = {
            "server": "%s:%d" % self.server.server_address[:2],
            "path": self.path,
            "authorization": self.headers.get("Authorization"),
            "cookie": self.headers.get("Cookie"),
            "x_portal_key": self.headers.get("X-Portal-Key"),
            "range": self.headers.get("Range"),
            "if_none_match": self.headers.get("If-None-Match"),
            "if_modified_since": self.headers.get("If-Modified-Since"),
            "time": time.time(),
        }
        with LOCK, open(ARGS.log, "a") as f:
            f.write(json.dumps(rec) + "\n")

    def send_simple(self, code, body=b"", ctype="text/html", headers=()):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def file_bytes(self, name):
        path = os.path.join(ARGS.root, os.path.basename(name))
        with open(path, "rb") as f:
            return f.read(), os.stat(path).st_mtime

    def serve_file(self, name, query, partial_then_drop=False):
        try:
            data, mtime = self.file_bytes(name)
        except OSError:
            return self.send_simple(404, b"<html>not found</html>")
        etag = '"%s"' % hashlib.sha256(data).hexdigest()[:16]
        lastmod = email.utils.formatdate(mtime, usegmt=True)
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        start = 0
        rng = self.headers.get("Range")
        if rng and rng.startswith("bytes=") and rng.endswith("-"):
            if_range = self.headers.get("If-Range")
            if if_range is None or if_range == etag:
                start = int(rng[6:-1])
        if start >= len(data) and start > 0:
            return self.send_simple(416, b"", headers=[("Content-Range", "bytes */%d" % len(data))])
        self.send_response(206 if start else 200)
        self.send_header("Content-Type", query.get("ctype", ["application/octet-stream"])[0])
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", lastmod)
        if "cd" in query:
            self.send_header("Content-Disposition", query["cd"][0])
        if start:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, len(data) - 1, len(data)))
        self.send_header("Content-Length", str(len(data) - start))
        self.end_headers()
        body = data[start:]
        if partial_then_drop:
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(body)

    def do_GET(self):
        self.log_request_line()
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query)
        parts = url.path.strip("/").split("/")
        route = parts[0]
        if route == "files":
            return self.serve_file(parts[-1], query)
        if route == "bearer":
            if self.headers.get("Authorization") != "Bearer " + ARGS.token:
                return self.send_simple(401, b"<html>sign in</html>", headers=[("WWW-Authenticate", "Bearer")])
            return self.serve_file(parts[-1], query)
        if route == "basic":
            import base64
            want = "Basic " + base64.b64encode(ARGS.user.encode()).decode()
            if self.headers.get("Authorization") != want:
                return self.send_simple(401, b"<html>sign in</html>", headers=[("WWW-Authenticate", 'Basic realm="portal"')])
            return self.serve_file(parts[-1], query)
        if route == "cookie":
            if ARGS.cookie not in (self.headers.get("Cookie") or ""):
                return self.send_simple(302, b"", headers=[("Location", "/login")])
            return self.serve_file(parts[-1], query)
        if route == "login":
            page = b"<!DOCTYPE html><html><head><title>Sign in</title></head><body><form>Sign in to MyChart</form></body></html>"
            return self.send_simple(200, page)
        if route == "redirect":
            return self.send_simple(302, b"", headers=[("Location", query["to"][0])])
        if route == "loop":
            return self.send_simple(302, b"", headers=[("Location", "/loop")])
        if route == "flaky":
            if count(parts[1]) <= int(query.get("fail", ["1"])[0]):
                return self.send_simple(503, b"<html>busy</html>", headers=[("Retry-After", "1")])
            return self.serve_file(parts[-1], query)
        if route == "drop":
            return self.serve_file(parts[-1], query, partial_then_drop=count(parts[1]) == 1)
        if route == "stall":
            self.send_response(200)
            self.send_header("Content-Length", "100000")
            self.end_headers()
            self.wfile.flush()
            time.sleep(60)
            return
        if route == "endless":
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True
            chunk = b"\0" * 65536
            try:
                self.wfile.write(b"%PDF-1.4\n")
                for _ in range(16384):  # at most 1 GiB, so the server itself is bounded
                    self.wfile.write(chunk)
            except OSError:
                pass
            return
        if route == "trickle":
            every = float(query.get("every", ["0.5"])[0])
            self.send_response(200)
            self.send_header("Content-Type", "application/pdf")
            self.send_header("Content-Length", "10000000")
            self.end_headers()
            try:
                self.wfile.write(b"%PDF-1.4\n")
                self.wfile.flush()
                for _ in range(int(600 / every)):
                    time.sleep(every)
                    self.wfile.write(b"x")
                    self.wfile.flush()
            except OSError:
                pass
            return
        if route == "slow":
            time.sleep(float(query.get("delay", ["0.3"])[0]))
            return self.serve_file(parts[-1], query)
        if route == "status":
            return self.send_simple(int(parts[1]), b"<html>status</html>")
        return self.send_simple(404, b"<html>no such route</html>")


def main():
    global ARGS
    p = argparse.ArgumentParser()
    p.add_argument("--root", required=True)
    p.add_argument("--log", required=True)
    p.add_argument("--portfile", required=True)
    p.add_argument("--bind", action="append", default=[])
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--token", default="s3cret-token")
    p.add_argument("--user", default="patient:pa55word")
    p.add_argument("--cookie", default="session=abc123")
    ARGS = p.parse_args()
    servers = []
    for addr in ARGS.bind or ["127.0.0.1"]:
        srv = ThreadingHTTPServer((addr, 0), Handler)
        srv.daemon_threads = True
        if ARGS.cert:
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(ARGS.cert, ARGS.key)
            srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
        servers.append(srv)
    for srv in servers[1:]:
        threading.Thread(target=srv.serve_forever, daemon=True).start()
    with open(ARGS.portfile + ".tmp", "w") as f:
        for srv in servers:
            f.write("%s %d\n" % srv.server_address[:2])
    os.rename(ARGS.portfile + ".tmp", ARGS.portfile)
    try:
        servers[0].serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
