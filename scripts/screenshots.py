#!/usr/bin/env python3
"""Drives the real ddsp binary in tmux through the main screens and saves each
as an SVG in screenshots/, colours included, rendered by rich from what
`tmux capture-pane -e` returns. Rerun to regenerate.

Usage: scripts/screenshots.py DDSP_BINARY  (scripts/screenshots sets it up)
"""

import json
import os
import socket
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

from rich.console import Console
from rich.text import Text

WIDTH, HEIGHT = 100, 30
SESSION = f"ddsp-shots-{os.getpid()}"
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "screenshots")


def tmux(*args):
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


def screen(colours=False):
    return tmux("capture-pane", "-p", *(["-e"] if colours else []), "-t", SESSION)


def wait_for(text, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if text in screen():
            time.sleep(0.3)  # let the frame settle
            return
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {text!r}; the screen:\n{screen()}")


def keys(*k):
    tmux("send-keys", "-t", SESSION, *k)
    time.sleep(0.15)


def text(s):
    tmux("send-keys", "-t", SESSION, "-l", "--", s)
    time.sleep(0.15)


def shot(name, title):
    console = Console(record=True, width=WIDTH, force_terminal=True, color_system="256", file=open(os.devnull, "w"))
    lines = screen(colours=True).rstrip("\n").split("\n")
    for line in lines[:HEIGHT]:
        console.print(Text.from_ansi(line, no_wrap=True, end=""), no_wrap=True, crop=True)
    console.save_svg(os.path.join(OUT, f"{name}.svg"), title=title)
    print(f"screenshots/{name}.svg")


def main():
    binary = os.path.abspath(sys.argv[1])
    os.makedirs(OUT, exist_ok=True)
    home = tempfile.mkdtemp(prefix="ddsp-shots-")
    env = f"env -u AWS_PROFILE -u AWS_ACCESS_KEY_ID HOME={home} XDG_DATA_HOME={home}/data XDG_CONFIG_HOME={home}/config TERM=xterm-256color COLORTERM= NO_COLOR="
    # Two profiles already on the sandbox, so Home has a list.
    for name, doc in [
        ("Gateways", "device-network-baseline.json"),
        ("Sensors-ML", "ml-detect.json"),
    ]:
        with open(os.path.join(os.path.dirname(OUT), "assets", "templates", doc)) as f:
            body = json.load(f)
        body["securityProfileName"] = name
        seed_env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
        seed_env.update(HOME=home, XDG_DATA_HOME=f"{home}/data", XDG_CONFIG_HOME=f"{home}/config")
        subprocess.run(
            [binary, "create-security-profile", "--sandbox", "--cli-input-json", json.dumps(body)],
            env=seed_env, check=True, stdout=subprocess.DEVNULL,
        )
    # Thing groups to attach profiles to.
    for group in ["Gateways", "Sensors"]:
        subprocess.run(
            [binary, "create-thing-group", "--sandbox", "--thing-group-name", group],
            env=seed_env, check=True, stdout=subprocess.DEVNULL,
        )
    try:
        tmux("new-session", "-d", "-s", SESSION, "-x", str(WIDTH), "-y", str(HEIGHT), f"exec {env} {binary} --sandbox")
        # 1. The first-time setup.
        wait_for("Where should ddsp keep")
        shot("1-setup", "ddsp: first-time setup")
        keys("Enter")
        wait_for("What should the profile watch?")
        keys("Enter")
        wait_for("Start from a template")
        keys("Down")
        wait_for("no agent needed")
        shot("2-templates", "ddsp: start from a template")
        keys("Enter")
        wait_for("Name the profile")
        keys(*["BSpace"] * 30)
        text("Fleet-Baseline")
        keys("Enter")
        # 2. The profile editor on the template.
        wait_for("Behaviors (5)")
        shot("3-editor", "ddsp: profile editor")
        # 3. The behavior editor and its metric picker.
        keys("C-n")
        wait_for("Authorization-failures")
        keys("Enter")
        wait_for("Behavior 1")
        keys("Down", "Enter")
        wait_for("Search:")
        text("bytes")
        shot("4-metric-picker", "ddsp: behavior editor, metric picker")
        keys("Escape")
        # 4. Problems: a duration out of range and a bad value.
        keys("Down", "Down", "Down", "Down")
        keys(*["BSpace"] * 4)
        text("5x")
        keys("Down")
        keys(*["BSpace"] * 4)
        text("20")
        keys("F2")
        wait_for("error")
        shot("5-problems", "ddsp: validation pane")
        keys("Escape")
        keys("Up")
        keys(*["BSpace"] * 4)
        text("5")
        keys("Down")
        keys(*["BSpace"] * 4)
        text("300")
        keys("Escape")
        wait_for("No problems")
        # 5. Confirm and result.
        keys("C-s")
        wait_for("The request, as --cli-input-json:")
        keys("Enter")
        wait_for("Version        1")
        shot("7-result", "ddsp: result")
        # 6. An update: change a threshold, see the one-line diff.
        keys("Enter")
        wait_for("version 1")
        keys("Enter")  # back on the behaviors list: open the one focused
        wait_for("Behavior 1: alarm when")
        keys("Down", "Down", "Down", "Down", "Down")  # its value
        keys(*["BSpace"] * 8)
        text("65536")
        keys("Escape")
        keys("C-s")
        wait_for("expectedVersion 1")
        shot("6-confirm-update", "ddsp: confirm an update")
        keys("Escape")
        keys("Escape")
        keys("Escape")
        wait_for("Fleet-Baseline")
        time.sleep(0.5)
        shot("0-home", "ddsp: home")
        # 7. Targets: the Gateways profile attached to its thing group and the unregistered things.
        text("Gateways")
        wait_for("Filter: Gateways")
        keys("Enter")
        wait_for("ddsp · Gateways")
        keys(*["C-n"] * 5)
        wait_for("Ctrl-A adds an entry")
        keys("C-a")
        wait_for("Search:")
        text("Gate")
        keys("Enter")
        wait_for("attached when submitted")
        keys("C-a")
        wait_for("Search:")
        text("unregistered")
        keys("Enter")
        wait_for("unregistered things  attached")
        shot("12-targets", "ddsp: a profile's targets")
        # 8. A dimension made from the picker: a new behavior counting only telemetry topics.
        keys(*["C-p"] * 4)
        wait_for("Behaviors (")
        keys("a")
        wait_for("Search:")
        text("num-messages-sent")
        keys("Enter")
        wait_for("Dimension")
        keys("Down", "Enter")  # from the metric just picked to its dimension
        wait_for("New dimension")
        text("new")
        keys("Enter")
        wait_for("Topic filters")
        text("TelemetryTopics")
        keys("Down")
        text("fleet/+/telemetry, fleet/#")
        wait_for("fleet/#")
        shot("13-new-dimension", "ddsp: a dimension made from the picker")
        keys("C-s")
        wait_for("picked it")
        keys("Escape")
        wait_for("Enter edit")
        keys("Escape")
        wait_for("Enter open")
        keys("C-c")
        time.sleep(0.5)
        demo(binary, home, env)
        live(binary, home, env)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


def demo(binary, home, env):
    """The demo fleet: the violations view, a behavior's chart, the palette, and a plan."""
    seed_env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    seed_env.update(HOME=home, XDG_DATA_HOME=f"{home}/data", XDG_CONFIG_HOME=f"{home}/config")
    subprocess.run([binary, "sandbox", "ingest", "--demo-fleet", "40"], env=seed_env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)
    # The update left unsent above would be offered back first: it has been shown already.
    shutil.rmtree(os.path.join(home, "data", "ddsp", "drafts"), ignore_errors=True)
    tmux("new-session", "-d", "-s", SESSION, "-x", str(WIDTH), "-y", str(HEIGHT), f"exec {env} {binary} --sandbox")
    wait_for("demo-fleet-watch")
    text("watch")
    keys("F4")
    wait_for("active violation")
    keys("Enter", "Up")
    text("lab rig, expected")
    keys("Enter")
    wait_for("Verification state saved")
    wait_for("Marked ")
    shot("8-violations", "ddsp: a profile's violations, one marked with a description")
    # A mitigation task on the highlighted violation: the demo fleet's quarantine action.
    keys("Space", "m")
    wait_for("Which action")
    keys("Enter")
    wait_for("violationIds")
    keys("Enter")
    wait_for("execution")
    shot("15-mitigation", "ddsp: a mitigation task's executions")
    keys("Escape")
    wait_for("active violation")
    keys("Escape")
    wait_for("Enter open")
    keys("Escape")
    text("watch")
    keys("Enter")
    wait_for("version 1")
    keys("C-n", "Enter")
    wait_for("Behavior 1")
    keys("F4")
    wait_for("alarms on")
    keys("Down", "Down", "Down", "Down", "Down", "C-u")
    text("250")
    wait_for("≥ 250")
    shot("9-chart", "ddsp: a behavior's chart, threshold typed")
    keys("F6")
    wait_for("Tuned to")
    shot("14-tuned-chart", "ddsp: a behavior's chart, tuned to one alarm a week (F6)")
    keys("Escape")
    keys(":")
    wait_for(":")
    text("targ")
    time.sleep(0.3)
    shot("10-palette", "ddsp: command palette")
    keys("Escape")
    keys("C-q")
    # The plan of a folder where one profile's threshold changed, as a command prints it.
    folder = os.path.join(home, "profiles")
    subprocess.run([binary, "export", folder, "--sandbox"], env=seed_env, check=True, stdout=subprocess.DEVNULL)
    path = os.path.join(folder, "demo-fleet-watch.json")
    with open(path) as f:
        body = json.loads(f.read().replace('"count": 100', '"count": 250'))
    # One behavior more: the plan says it in words.
    body["behaviors"].append({
        "name": "Disconnects",
        "metric": "aws:num-disconnects",
        "criteria": {"comparisonOperator": "less-than", "value": {"count": 5}, "durationSeconds": 300},
    })
    with open(path, "w") as f:
        json.dump(body, f, indent=4)
    out = subprocess.run([binary, "plan", folder, "--sandbox"], env=seed_env, capture_output=True, text=True).stdout
    console = Console(record=True, width=WIDTH, force_terminal=True, color_system="256", file=open(os.devnull, "w"))
    console.print(Text("$ ddsp plan profiles --sandbox\n" + out.replace(home + "/", "")), no_wrap=True, crop=True)
    console.save_svg(os.path.join(OUT, "11-plan.svg"), title="ddsp plan")
    print("screenshots/11-plan.svg")


def live(binary, home, env):
    """A running sandbox, a device reporting to it while the violations view
    is open, and the alert the new violation sent."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    endpoint = f"http://127.0.0.1:{port}"
    keys_env = "AWS_ACCESS_KEY_ID=AKIADDSPSANDBOX00001 AWS_SECRET_ACCESS_KEY=ddsp-sandbox-secret-access-key"
    seed_env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    seed_env.update(HOME=home, XDG_DATA_HOME=f"{home}/data", XDG_CONFIG_HOME=f"{home}/config")
    seed_env.update(dict(kv.split("=", 1) for kv in keys_env.split()))
    sandbox = subprocess.Popen(
        [binary, "sandbox", "--in-memory", "--no-auth", "--demo-fleet", "24", "--report-interval", "0",
         "--no-mqtt", "--port", str(port)],
        env=seed_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        for line in sandbox.stdout:
            if line.startswith("endpoint:"):
                break
        threading.Thread(target=sandbox.stdout.read, daemon=True).start()  # the rest of its output, unread
        target = "SNS={alertTargetArn=arn:aws:sns:us-east-1:123456789012:fleet-alerts,roleArn=arn:aws:iam::123456789012:role/alerts}"
        subprocess.run(
            [binary, "update-security-profile", "--security-profile-name", "demo-fleet-watch", "--endpoint-url", endpoint,
             "--region", "us-east-1", "--alert-targets", target],
            env=seed_env, check=True, stdout=subprocess.DEVNULL,
        )
        subprocess.run(["tmux", "kill-session", "-t", SESSION], capture_output=True)
        # The chart's threshold left unsent above would be offered back first: it has been shown already.
        shutil.rmtree(os.path.join(home, "data", "ddsp", "drafts"), ignore_errors=True)
        tmux("new-session", "-d", "-s", SESSION, "-x", str(WIDTH), "-y", str(HEIGHT),
             f"exec {env} {keys_env} {binary} --endpoint-url {endpoint} --region us-east-1")
        wait_for("demo-fleet-watch")
        text("watch")
        keys("F4")
        wait_for("active violations")
        # demo-device-003 starts listening on 4444: its report, as a device sends it.
        report = {"header": {"report_id": 1, "version": "1.0"},
                  "metrics": {"listening_tcp_ports": {"ports": [{"port": 22}, {"port": 4444}]}}}
        request = urllib.request.Request(f"{endpoint}/sandbox/things/demo-device-003/metrics",
                                         data=json.dumps(report).encode(), method="POST")
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert json.load(answer)["status"] == "ACCEPTED"
        wait_for("1 arrived (+)", timeout=25)  # the view reads itself again every 10 s
        shot("16-live-violations", "ddsp: violations as a device reports (+ arrived while the view was open)")
        keys("Down")
        wait_for("Alerts sent for this violation")
        shot("17-alerts", "ddsp: the alerts a violation sent to its profile's SNS target")
        keys("C-q")
        time.sleep(0.5)
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)


if __name__ == "__main__":
    main()
