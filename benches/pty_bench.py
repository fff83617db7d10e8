#!/usr/bin/env python3
"""Whole-process figures of the editor in a real pseudo-terminal.

- first frame: from exec of `ddsp --sandbox` to the end of its first complete
  frame (the end of the first synchronized update), and to the first frame that
  shows the profile list, on an empty store and on a store of 50 profiles;
- bytes per keystroke: one character typed into the description field, every
  byte the editor writes to the terminal until it is quiet, at 80x24 and 200x60;
- memory: peak RSS (VmHWM) of the editor with its in-process sandbox after
  opening a 100-behavior profile and typing in it.

Usage: pty_bench.py DDSP_BINARY [RUNS]. Prints one JSON object.
"""

import fcntl
import json
import os
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time

END_FRAME = b"\x1b[?2026l"


class Pty:
    """The editor running in a pseudo-terminal of the given size."""

    def __init__(self, args, env, cols, rows):
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))

        def child_setup():
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            args, stdin=slave, stdout=slave, stderr=slave, env=env, preexec_fn=child_setup, close_fds=True
        )
        os.close(slave)
        self.out = bytearray()

    def read_until(self, predicate, timeout=10.0):
        """Reads until predicate(self.out) holds; returns the time since exec."""
        deadline = time.perf_counter() + timeout
        while not predicate(self.out):
            left = deadline - time.perf_counter()
            if left <= 0:
                raise TimeoutError(f"timed out; last output: {bytes(self.out[-400:])!r}")
            ready, _, _ = select.select([self.master], [], [], left)
            if ready:
                try:
                    self.out += os.read(self.master, 65536)
                except OSError:
                    break
        return time.perf_counter() - self.started

    def quiet(self, quiet_for=0.15, timeout=5.0):
        """Reads until nothing arrives for `quiet_for` seconds; returns the bytes read."""
        got = bytearray()
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            ready, _, _ = select.select([self.master], [], [], quiet_for)
            if not ready:
                break
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                break
            got += chunk
        self.out += got
        return got

    def send(self, data):
        os.write(self.master, data)

    def stop(self):
        try:
            self.send(b"\x03")  # Ctrl-C
            self.proc.wait(timeout=5)
        except Exception:
            self.proc.kill()
            self.proc.wait()
        self.quiet(0.05, 1.0)
        os.close(self.master)


def environment(home):
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        HOME=home,
        XDG_DATA_HOME=os.path.join(home, "data"),
        XDG_CONFIG_HOME=os.path.join(home, "config"),
        TERM="xterm-256color",
    )
    os.makedirs(os.path.join(home, "config", "ddsp"), exist_ok=True)
    with open(os.path.join(home, "config", "ddsp", "config"), "w") as f:
        f.write("theme = auto\n")
    return env


def seed(binary, env, profiles, behaviors):
    """Fills the user's sandbox database through `ddsp sandbox` and the commands."""
    db = os.path.join(env["XDG_DATA_HOME"], "ddsp", "sandbox.db")
    os.makedirs(os.path.dirname(db), exist_ok=True)
    server = subprocess.Popen(
        [binary, "sandbox", "--port", "0", "--no-mqtt", "--db", db], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    url = None
    for line in server.stdout:
        line = line.decode()
        if line.startswith("endpoint: "):
            url = line.split(" ", 1)[1].strip()
            break
    kinds = [
        {"metric": "aws:num-messages-sent", "criteria": {"comparisonOperator": "greater-than", "value": {"count": 100}, "durationSeconds": 300}},
        {"metric": "aws:listening-tcp-ports", "criteria": {"comparisonOperator": "not-in-port-set", "value": {"ports": [22, 443, 8883]}}},
        {"metric": "aws:destination-ip-addresses", "criteria": {"comparisonOperator": "not-in-cidr-set", "value": {"cidrs": ["10.0.0.0/8"]}}},
        {"metric": "aws:all-bytes-out", "criteria": {"comparisonOperator": "greater-than", "statisticalThreshold": {"statistic": "p90"}, "durationSeconds": 900}},
        {"metric": "aws:num-authorization-failures", "criteria": {"mlDetectionConfig": {"confidenceLevel": "HIGH"}}},
    ]
    cli_env = dict(env, AWS_ACCESS_KEY_ID="AKIADDSPSANDBOX00001", AWS_SECRET_ACCESS_KEY="ddsp-sandbox-secret-access-key")
    for i in range(profiles):
        n = behaviors if i == 0 else 3
        doc = {
            "securityProfileName": f"Profile-{i:03d}",
            "securityProfileDescription": f"Seeded profile {i}",
            "behaviors": [dict(kinds[j % len(kinds)], name=f"behavior-{j}") for j in range(n)],
        }
        subprocess.run(
            [binary, "create-security-profile", "--cli-input-json", json.dumps(doc), "--endpoint-url", url, "--region", "us-east-1"],
            env=cli_env, check=True, stdout=subprocess.DEVNULL,
        )
    server.send_signal(signal.SIGTERM)
    server.wait()


def first_frame(binary, profiles, runs):
    home = tempfile.mkdtemp(prefix="ddsp-bench-")
    try:
        env = environment(home)
        if profiles:
            seed(binary, env, profiles, 3)
        first, listed = [], []
        marker = b"Profile-000" if profiles else b"No security profiles"
        for _ in range(runs):
            p = Pty([binary, "--sandbox"], env, 80, 24)
            first.append(p.read_until(lambda out: END_FRAME in out))
            listed.append(p.read_until(lambda out: marker in out and out.rfind(END_FRAME) > out.find(marker)))
            p.stop()
        return {"first_ms": statistics.median(first) * 1000, "listed_ms": statistics.median(listed) * 1000}
    finally:
        shutil.rmtree(home, ignore_errors=True)


def bytes_per_key(binary, cols, rows, keys):
    home = tempfile.mkdtemp(prefix="ddsp-bench-")
    try:
        env = environment(home)
        p = Pty([binary, "--sandbox"], env, cols, rows)
        p.read_until(lambda out: b"No security profiles" in out)
        p.quiet()
        p.send(b"\x0e")  # Ctrl-N: a new profile, focus on the name
        p.quiet(0.3)
        p.send(b"Bench")
        p.quiet()
        p.send(b"\x1b[B")  # Down: the description
        p.quiet(0.3)
        sizes = []
        for i in range(keys):
            p.send(b"abcdefghij"[i % 10 : i % 10 + 1])
            sizes.append(len(p.quiet(0.25)))
        p.stop()
        return {"median": statistics.median(sizes), "max": max(sizes), "keys": keys}
    finally:
        shutil.rmtree(home, ignore_errors=True)


def memory(binary):
    home = tempfile.mkdtemp(prefix="ddsp-bench-")
    try:
        env = environment(home)
        seed(binary, env, 1, 100)
        p = Pty([binary, "--sandbox"], env, 80, 24)
        p.read_until(lambda out: b"Profile-000" in out)
        p.quiet()
        p.send(b"\r")  # open the 100-behavior profile
        p.quiet(0.5)
        for c in b"typing in the description":
            p.send(bytes([c]))
        p.quiet(0.5)
        p.send(b"\x0e")  # the behaviors
        p.quiet(0.3)
        with open(f"/proc/{p.proc.pid}/status") as f:
            status = dict(line.split(":", 1) for line in f if ":" in line)
        peak_kb = int(status["VmHWM"].split()[0])
        p.stop()
        return {"peak_rss_mb": peak_kb / 1024}
    finally:
        shutil.rmtree(home, ignore_errors=True)


def main():
    binary = os.path.abspath(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    result = {
        "first_frame_empty": first_frame(binary, 0, runs),
        "first_frame_50": first_frame(binary, 50, runs),
        "bytes_80x24": bytes_per_key(binary, 80, 24, 20),
        "bytes_200x60": bytes_per_key(binary, 200, 60, 20),
        "memory": memory(binary),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
