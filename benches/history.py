#!/usr/bin/env python3
"""A report to its violation where the fleet has history: the sandbox holds
the demo fleet (N things, 14 days of 5-minute datapoints, demo-fleet-watch
with a statistical threshold watching them) and demo-fleet-watch has an SNS
alert target, so each report is followed by its alert sweep. Each probe is
one demo thing's report over HTTP that opens port 4444, then
ListActiveViolations for that thing until its ListeningPorts violation is
listed; the next report of the thing closes it again. The time is from
sending the report to the listing that shows the violation (target: p99
under 100 ms, as for the MQTT probes of benches/mqtt.rs, which have no
history).

Prints one JSON object. Usage: benches/history.py DDSP_BINARY [THINGS] [PROBES]
(default 24 things, 200 probes). Needs only the Python standard library.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from sandbox_http import call, free_port


def report(url, thing, report_id, ports):
    body = {"header": {"report_id": report_id, "version": "1.0"},
            "metrics": {"listening_tcp_ports": {"ports": [{"port": p} for p in ports]}}}
    answer = call(url, "POST", f"/sandbox/things/{thing}/metrics", body)
    if answer.get("status") != "ACCEPTED":
        raise SystemExit(f"benches/history.py: report refused: {answer}")


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(-(-p * len(ordered) // 1)) - 1))]


def main():
    binary = os.path.abspath(sys.argv[1])
    things = int(sys.argv[2]) if len(sys.argv) > 2 else 24
    probes = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    home = tempfile.mkdtemp(prefix="ddsp-history-")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(HOME=home, XDG_DATA_HOME=f"{home}/data", XDG_CONFIG_HOME=f"{home}/config")
    sandbox = subprocess.Popen(
        [binary, "sandbox", "--in-memory", "--no-auth", "--no-mqtt", "--demo-fleet", str(things),
         "--report-interval", "0", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        datapoints = None
        for line in sandbox.stdout:
            if line.startswith("demo fleet:"):
                datapoints = int(line.split(" datapoints")[0].rsplit(" ", 1)[1])
            if line.startswith("endpoint:"):
                break
        else:
            raise SystemExit("benches/history.py: the sandbox did not start")
        if datapoints is None:
            raise SystemExit("benches/history.py: the banner no longer says how many datapoints the demo fleet has")
        threading.Thread(target=sandbox.stdout.read, daemon=True).start()
        target = {"SNS": {"alertTargetArn": "arn:aws:sns:us-east-1:123456789012:fleet-alerts",
                          "roleArn": "arn:aws:iam::123456789012:role/alerts"}}
        call(url, "PATCH", "/security-profiles/demo-fleet-watch", {"alertTargets": target})
        latencies, sweeps = [], []
        for i in range(probes):
            thing = f"demo-device-{i % things + 1:03d}"
            sent = time.perf_counter()
            report(url, thing, 2 * i + 1, [22, 4444])
            sweeps.append((time.perf_counter() - sent) * 1000)
            while True:
                listed = call(url, "GET", f"/active-violations?thingName={thing}")["activeViolations"]
                if any(v["behavior"]["name"] == "ListeningPorts" and 4444 in v["lastViolationValue"].get("ports", [])
                       for v in listed):
                    break
                if time.perf_counter() - sent > 30:
                    raise SystemExit(f"benches/history.py: no violation for {thing}")
            latencies.append((time.perf_counter() - sent) * 1000)
            report(url, thing, 2 * i + 2, [22, 443, 8883])
        alerts = call(url, "GET", "/sandbox/alerts")
        made = len(alerts.get("alerts", []))
        print(json.dumps({
            "things": things,
            "datapoints": datapoints,
            "probes": probes,
            "alerts_made": made,
            "report_ms": {"p50": round(percentile(sweeps, 0.5), 1), "p99": round(percentile(sweeps, 0.99), 1)},
            "report_to_violation_ms": {
                "p50": round(percentile(latencies, 0.5), 1),
                "p99": round(percentile(latencies, 0.99), 1),
                "max": round(max(latencies), 1),
                "target_p99": 100,
            },
        }))
    finally:
        sandbox.terminate()
        sandbox.wait(timeout=10)
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
