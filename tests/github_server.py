"""A local stand-in for GitHub, for the tests of subscriptions: the git trees API (under
/api) and the raw host (under /raw), on 127.0.0.1, serving files the test puts in a branch,
and misbehaving on purpose: a day that answers 500, a day whose bytes are not the ones the
tree lists, a day that stalls, hostile paths in the tree, the API's rate limit."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote, urlsplit

from digest_tui.github import blob_sha


@dataclass
class Branch:
    files: dict[str, bytes] = field(default_factory=dict)  # path in the repository -> bytes
    broken: set[str] = field(default_factory=set)  # answer 500
    tampered: dict[str, bytes] = field(default_factory=dict)  # served instead of the listed
    stalled: set[str] = field(default_factory=set)  # a few bytes, then nothing
    hostile: list[str] = field(default_factory=list)  # paths listed in the tree, never served


class FakeGitHub:
    def __init__(self) -> None:
        self.branches: dict[tuple[str, str], Branch] = {}
        self.requests: list[str] = []  # every path asked, in order
        self.headers: list[dict[str, str]] = []  # the headers of each request
        self.rate_limited = False
        self.stall_seconds = 3.0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # (http.server's name)
                server.requests.append(self.path)
                server.headers.append(dict(self.headers))
                server.answer(self)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def branch(self, repo: str, name: str = "data") -> Branch:
        return self.branches.setdefault((repo, name), Branch())

    def __enter__(self) -> FakeGitHub:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def raw_requests(self) -> list[str]:
        return [r for r in self.requests if r.startswith("/raw/")]

    # -- answering -------------------------------------------------------------------------

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = unquote(urlsplit(handler.path).path)
        parts = path.split("/")
        if path.startswith("/api/repos/") and len(parts) >= 8 and parts[5:7] == ["git", "trees"]:
            self._tree(handler, f"{parts[3]}/{parts[4]}", "/".join(parts[7:]))
        elif path.startswith("/raw/") and len(parts) >= 6:
            self._raw(handler, f"{parts[2]}/{parts[3]}", parts[4], "/".join(parts[5:]))
        else:
            self._send(handler, 404, b"not found")

    def _tree(self, handler: BaseHTTPRequestHandler, repo: str, name: str) -> None:
        if self.rate_limited:
            reset = str(int(time.time()) + 600)
            headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset}
            self._send(handler, 403, b'{"message": "API rate limit exceeded"}', headers)
            return
        branch = self.branches.get((repo, name))
        if branch is None:
            self._send(handler, 404, b'{"message": "Not Found"}')
            return
        tree = [
            {"path": path, "mode": "100644", "type": "blob", "sha": blob_sha(data),
             "size": len(data)}
            for path, data in branch.files.items()
        ]  # fmt: skip
        tree += [
            {"path": path, "mode": "100644", "type": "blob", "sha": "0" * 40, "size": 10}
            for path in branch.hostile
        ]
        body = json.dumps({"sha": "f" * 40, "tree": tree, "truncated": False}).encode()
        self._send(handler, 200, body, {"Content-Type": "application/json"})

    def _raw(self, handler: BaseHTTPRequestHandler, repo: str, name: str, path: str) -> None:
        branch = self.branches.get((repo, name))
        if branch is None or path not in branch.files:
            self._send(handler, 404, b"404: Not Found")
        elif path in branch.broken:
            self._send(handler, 500, b"500: Internal Server Error")
        elif path in branch.stalled:
            data = branch.files[path]
            handler.send_response(200)
            handler.send_header("Content-Length", str(len(data)))
            handler.end_headers()
            handler.wfile.write(data[:100])
            handler.wfile.flush()
            time.sleep(self.stall_seconds)
        else:
            self._send(handler, 200, branch.tampered.get(path, branch.files[path]))

    @staticmethod
    def _send(
        handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: dict | None = None
    ) -> None:
        handler.send_response(status)
        for key, value in (headers or {}).items():
            handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
