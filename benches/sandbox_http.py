"""What the Python benches share: a free loopback port, and one unsigned
JSON call to a sandbox started with --no-auth (a refused call ends the bench,
naming the script, the call and the sandbox's answer)."""

import json
import os
import socket
import sys
import urllib.error
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def call(url, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url + path, data=data, method=method)
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as e:
        script = f"benches/{os.path.basename(sys.argv[0])}"
        raise SystemExit(f"{script}: {method} {path}: {e.code} {e.read().decode(errors='replace')}")
