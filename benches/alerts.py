#!/usr/bin/env python3
"""Alerts published to an SNS endpoint per second: the sandbox's alert sender
against moto_server's SNS (installed into .venv by scripts/test), both
processes on loopback.

The sandbox holds N things and one profile watching every registered thing
(`in-port-set` 22, 443, 8883) with the topic as its SNS alert target; each
thing sends one report over HTTP that opens port 4444: N in-alarm
violations, each an alert. The figure is the alerts over the time from
the first report to the moment ListSandboxAlerts shows the last of them
DELIVERED (SNS took it: moto answered Publish with a message id). A figure,
no target: it is moto's Publish rate as much as ddsp's.

Prints one JSON object. Usage: benches/alerts.py DDSP_BINARY [THINGS]
(default 1000). Run with the Python of .venv (it needs boto3, which moto brings).
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse

import boto3

from sandbox_http import call, free_port


def wait_for(what, check, seconds=120, every=0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found is not None:
            return found
        time.sleep(every)
    raise SystemExit(f"benches/alerts.py: {what} did not happen in {seconds} s")


def alerts(url):
    """The alerts kept, over every page of ListSandboxAlerts: how many SNS
    took, how many are still to send, how many it refused for good."""
    delivered, waiting, failed, token = 0, 0, 0, None
    while True:
        path = "/sandbox/alerts?maxResults=250" + (f"&nextToken={urllib.parse.quote(token, safe='')}" if token else "")
        page = call(url, "GET", path)
        for a in page.get("alerts", []):
            status = a.get("delivery", {}).get("status")
            if status == "DELIVERED":
                delivered += 1
            elif status == "FAILED":
                failed += 1
            else:
                waiting += 1
        token = page.get("nextToken")
        if not token:
            return delivered, waiting, failed


def main():
    ddsp = sys.argv[1]
    things = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    work = tempfile.mkdtemp(prefix="ddsp-alerts-bench-")
    out = None
    moto_port = free_port()
    moto_url = f"http://127.0.0.1:{moto_port}"
    moto_bin = os.path.join(os.path.dirname(sys.executable), "moto_server")
    moto = subprocess.Popen([moto_bin, "-H", "127.0.0.1", "-p", str(moto_port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    sandbox = None
    try:
        sns = boto3.client("sns", endpoint_url=moto_url, region_name="us-east-1",
                           aws_access_key_id="testing", aws_secret_access_key="testing")
        topic = wait_for("moto_server's start", lambda: _try(lambda: sns.create_topic(Name="alerts")["TopicArn"]))
        out = open(os.path.join(work, "sandbox.out"), "w+")
        sandbox = subprocess.Popen(
            [ddsp, "sandbox", "--port", "0", "--in-memory", "--no-auth", "--no-mqtt",
             "--report-interval", "0", "--sns-endpoint-url", moto_url],
            stdout=out, stderr=subprocess.DEVNULL)
        url = wait_for("the sandbox's start", lambda: _endpoint(out))
        for i in range(things):
            call(url, "POST", f"/things/device-{i:05}", {})
        call(url, "POST", "/security-profiles/ports", {
            "behaviors": [{"name": "ListeningPorts", "metric": "aws:listening-tcp-ports",
                           "criteria": {"comparisonOperator": "in-port-set", "value": {"ports": [22, 443, 8883]}}}],
            "alertTargets": {"SNS": {"alertTargetArn": topic, "roleArn": "arn:aws:iam::123456789012:role/dd-alerts"}}})
        every_thing = urllib.parse.quote("arn:aws:iot:us-east-1:123456789012:all/registered-things", safe="")
        call(url, "PUT", f"/security-profiles/ports/targets?securityProfileTargetArn={every_thing}")
        before, _, _ = alerts(url)
        report = {"header": {"report_id": 1, "version": "1.0"},
                  "metrics": {"listening_tcp_ports": {"ports": [{"port": 22}, {"port": 4444}], "total": 2}}}
        start = time.monotonic()
        for i in range(things):
            call(url, "POST", f"/sandbox/things/device-{i:05}/metrics", report)
        reported = time.monotonic() - start
        # A violation's alert is kept as its report is taken: once none waits, each was sent or refused.
        # Asked five times a second: the reading shares the cores with the sender it measures.
        delivered, failed = wait_for("the alerts' delivery", lambda: _all_sent(url), seconds=600, every=0.2)
        delivered -= before
        took = time.monotonic() - start
        if failed:
            raise SystemExit(f"benches/alerts.py: SNS refused {failed} alerts for good")
        print(json.dumps({"reports": things, "alerts": delivered, "seconds": round(took, 3),
                          "reports_seconds": round(reported, 3), "alerts_per_second": round(delivered / took, 1)}))
    finally:
        for p in (sandbox, moto):
            if p is not None:
                p.kill()
                p.wait()
        if out is not None:
            out.close()
        shutil.rmtree(work, ignore_errors=True)


def _all_sent(url):
    """(delivered, failed), once no alert is still to send (else None)."""
    delivered, waiting, failed = alerts(url)
    return (delivered, failed) if waiting == 0 else None


def _try(f):
    try:
        return f()
    except Exception:  # moto not listening yet
        return None


def _endpoint(out):
    out.seek(0)
    for line in out.read().splitlines():
        if line.startswith("endpoint: "):
            return line[len("endpoint: "):].strip()
    return None


if __name__ == "__main__":
    main()
