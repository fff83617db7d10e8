#!/usr/bin/env python3
"""Writes benches/RESULTS.md from the outputs benches/run-all collected."""

import json
import os
import platform
import re
import subprocess
import sys

UNITS = {"ns": 1e-3, "µs": 1.0, "us": 1.0, "ms": 1e3, "s": 1e6}


def criterion(path, name):
    """The middle estimate of a criterion benchmark, in µs."""
    text = open(path).read()
    m = re.search(re.escape(name) + r"[^\n]*\n?\s*time:\s+\[\S+ \S+ (\S+) (\S+) \S+ \S+\]", text)
    if not m:
        raise SystemExit(f"{name!r} not found in {path}")
    return float(m.group(1)) * UNITS[m.group(2)]


def machine():
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(next(l for l in open("/proc/meminfo") if l.startswith("MemTotal")).split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration):
        pass
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    return f"{os.cpu_count()} cores ({cpu}){mem}, {platform.system()} {platform.release()}, {rustc}"


def ok(good):
    return "–" if good is None else ("✓" if good else "✗")


def main():
    d = sys.argv[1]
    pty = json.load(open(os.path.join(d, "pty.json")))
    peers_text = open(os.path.join(d, "peers.json")).read().strip()
    peers = json.loads(peers_text) if peers_text else None
    validate = criterion(os.path.join(d, "validate.txt"), "validate 100 behaviors")
    pair = criterion(os.path.join(d, "keystroke.txt"), "keystroke pair")
    key = pair / 2
    commands = open(os.path.join(d, "commands.md")).read()
    ratios = [float(x) for x in re.findall(r"\| ([0-9.]+)x \|", commands)]

    rows = []
    for label, key_ in [("empty store", "first_frame_empty"), ("50 profiles", "first_frame_50")]:
        f = pty[key_]
        rows.append((f"first frame, `ddsp --sandbox`, {label}", f"{f['first_ms']:.1f} ms (list shown at {f['listed_ms']:.1f} ms)", "< 15 ms", f["first_ms"] < 15))
    rows.append(("keystroke end to end: loop step, rules, draft hand-off, 80x24 frame written; 100 behaviors", f"{key:.1f} µs", "< 100 µs", key < 100))
    snap = criterion(os.path.join(d, "keystroke.txt"), "parts: snapshot only (pair)") / 2
    rows.append(("of which the draft snapshot, per keystroke", f"{snap:.1f} µs", "(part of the above)", None))
    for size in ["80x24", "200x60"]:
        b = pty[f"bytes_{size}"]
        rows.append((f"bytes per keystroke in the description, {size}", f"{b['median']:.0f} (max {b['max']} of {b['keys']} keys)", "< 64", b["median"] < 64))
    rows.append(("commands vs AWS CLI (create, describe, list)", ", ".join(f"{r:.0f}x" for r in ratios), "≥ 100x", bool(ratios) and min(ratios) >= 100))
    floor = re.search(r"Process-start floor .*?: ([0-9.]+) ms", commands)
    describe = re.search(r"\| describe-security-profile \| ([0-9.]+) ms", commands)
    if floor and describe:
        rows.append(("one ddsp call (describe) beside the process-start floor of a trivial Rust binary", f"{describe.group(1)} ms vs {floor.group(1)} ms", "(the floor, for scale)", None))
    if peers:
        o, t = peers["ddsp"], peers["moto"]
        rows.append(("sandbox vs moto: throughput", f"{o['rps']:.0f} vs {t['rps']:.0f} req/s = {o['rps'] / t['rps']:.1f}x", "≥ 10x", o["rps"] / t["rps"] >= 10))
        rows.append(("sandbox vs moto: p99", f"{o['p99_ms']:.2f} vs {t['p99_ms']:.2f} ms = 1/{t['p99_ms'] / o['p99_ms']:.1f}", "≤ 1/10", o["p99_ms"] * 10 <= t["p99_ms"]))
    else:
        rows.append(("sandbox vs moto", "not run (no moto_server)", "≥ 10x, p99 ≤ 1/10", False))
    backtest_path = os.path.join(d, "backtest.txt")
    if os.path.exists(backtest_path):
        bt = criterion(backtest_path, "backtest/10000 things x 14 days of 5-minute datapoints") / 1e6
        rows.append(("backtest: 40.3 M datapoints (10,000 things, 14 days, 5 minutes), one behavior", f"{bt:.2f} s", "< 1 s", bt < 1))
        tn = criterion(backtest_path, "tune/10000 things x 14 days: one behavior, 1 alarm a week") / 1e6
        rows.append(("tune: one behavior's threshold for 1 alarm a week over the same 40.3 M datapoints", f"{tn:.2f} s", "< 2 s", tn < 2))
        chart = criterion(backtest_path, "chart: one thing re-evaluated after a keystroke")
        rows.append(("chart: one thing re-evaluated after a keystroke", f"{chart:.0f} µs", "< 5 ms", chart < 5000))
    ingest_path = os.path.join(d, "ingest.txt")
    if os.path.exists(ingest_path):
        m = re.search(r"stored (\d+) datapoints .*?; (\d+) datapoints/s", open(ingest_path).read())
        if m:
            rate = int(m.group(2))
            rows.append((f"`ddsp sandbox ingest`, {int(m.group(1)):,} datapoints of metrics-export JSON", f"{rate / 1e6:.2f} M datapoints/s", "≥ 1 M/s", rate >= 1_000_000))
    plan_path = os.path.join(d, "plan.txt")
    if os.path.exists(plan_path):
        m = re.search(r"50 ms added per request: ([0-9.]+) s", open(plan_path).read())
        if m:
            secs = float(m.group(1))
            rows.append(("`ddsp plan` of 200 profiles, 50 ms added per request", f"{secs:.2f} s", "< 2 s", secs < 2))
    mqtt_path = os.path.join(d, "mqtt.json")
    if os.path.exists(mqtt_path) and open(mqtt_path).read().strip():
        mq = json.loads(open(mqtt_path).read().strip().splitlines()[-1])
        rate = mq["reports_per_second"]
        rows.append((f"Device Defender reports over MQTT/TLS, {mq['connections']:,} connections", f"{rate:,.0f} reports/s", "≥ 3,500/s", rate >= 3500))
        p99 = mq["report_to_violation_ms"]["p99"]
        rows.append((f"report to its violation in ListActiveViolations, steady {mq['steady_reports_per_second']:,.0f} reports/s", f"p99 {p99:.0f} ms (p50 {mq['report_to_violation_ms']['p50']:.0f} ms)", "p99 < 100 ms", p99 < 100))
    history_path = os.path.join(d, "history.json")
    if os.path.exists(history_path) and open(history_path).read().strip():
        hi = json.loads(open(history_path).read().strip().splitlines()[-1])
        p99 = hi["report_to_violation_ms"]["p99"]
        rows.append((f"report to its violation with 14 days of history ({hi['things']} things, {hi['datapoints'] or 0:,} datapoints, a statistical threshold, an SNS alert target)", f"p99 {p99:.0f} ms (p50 {hi['report_to_violation_ms']['p50']:.0f} ms)", "p99 < 100 ms", p99 < 100))
    alerts_path = os.path.join(d, "alerts.json")
    if os.path.exists(alerts_path) and open(alerts_path).read().strip():
        al = json.loads(open(alerts_path).read().strip().splitlines()[-1])
        rows.append((f"alerts published to an SNS endpoint (moto_server), {al['alerts']:,} violations", f"{al['alerts_per_second']:,.0f} alerts/s", "(a figure)", None))
    else:
        rows.append(("alerts published to an SNS endpoint", "not run, or it failed (no moto_server?)", "(a figure)", None))
    spark_path = os.path.join(d, "spark.txt")
    spark = re.search(r"([\d.]+) M datapoints: Spark SQL \(local, 2 cores\) ([\d.]+) s, (\d+) events; in-process backtest \(reading the gzipped JSON\) ([\d.]+) s", open(spark_path).read()) if os.path.exists(spark_path) else None
    if spark:
        rows.append((f"`backtest --emit-sql spark` on local Spark (2 cores) beside the in-process backtest, the same {spark.group(1)} M datapoints", f"{spark.group(2)} s vs {spark.group(4)} s ({spark.group(3)} events)", "(a figure)", None))
    else:
        rows.append(("`backtest --emit-sql spark` on local Spark beside the in-process backtest", "not run, or it failed (no PySpark or Java?)", "(a figure)", None))
    mem = pty["memory"]["peak_rss_mb"]
    rows.append(("peak RSS, editor + in-process sandbox, 100-behavior profile", f"{mem:.1f} MB", "< 25 MB", mem < 25))
    rows.append(("validate a 100-behavior profile", f"{validate:.1f} µs", "< 40 µs", validate < 40))

    print("# Benchmark results\n")
    print(f"Made by `benches/run-all` on {machine()}.\n")
    print("| what | measured | target | met |")
    print("|---|---|---|:-:|")
    for what, value, target, good in rows:
        print(f"| {what} | {value} | {target} | {ok(good)} |")
    print("\n## How each is measured\n")
    print("- **First frame**: `benches/pty_bench.py` starts the release binary in a pseudo-terminal (80x24) and times exec to the end of the first synchronized update (`ESC[?2026l`), and to the first frame showing the profile list; median of 10 runs.")
    print("- **Keystroke**: `cargo bench --bench keystroke` (criterion) times a character and a Backspace, each through the loop's real step (`Runner::step`: update, rules, the draft handed to its writer) and the 80x24 frame drawn and written through crossterm into a sink; the figure is half the pair.")
    print("- **Backtest and chart**: `cargo bench --bench backtest` (criterion): the evaluator over 10,000 things x 4,032 five-minute counts (a noisy fleet that alarms often), and one thing's 14 days re-evaluated as a threshold is typed.")
    print("- **Ingest**: `benches/ingest.sh`: a million datapoints of metrics-export JSON (117 MB) through `ddsp sandbox ingest` into a fresh database; ddsp's own figure (reading and storing overlap).")
    print("- **Plan**: `benches/plan.sh`: `ddsp plan` of 200 profiles against a sandbox that adds 50 ms to every request.")
    print("- **Bytes per keystroke**: one character typed into a new profile's description, every byte written to the pty until 250 ms of quiet (any frame the draft's save causes included); median of 20 keys.")
    print("- **Commands**: `benches/commands.sh`, release `ddsp` and the AWS CLI (awscli from PyPI) on one sandbox, mean of 30 calls each.")
    if peers:
        o, t = peers["ddsp"], peers["moto"]
        print(f"- **Sandbox vs moto** (`cargo bench --bench peers`): {peers['clients']} concurrent aws-sdk-iot tasks, each 100 rounds of create / describe / update with expectedVersion / list; ddsp on security profiles (`ddsp sandbox --in-memory`), moto on thing groups (`moto_server`), both processes on loopback.")
        print("")
        print("| server | requests | failed after retries | requests/s | p50 | p99 |")
        print("|---|---:|---:|---:|---:|---:|")
        for name, r in [("ddsp sandbox", o), ("moto_server", t)]:
            print(f"| {name} | {r['requests']} | {r.get('failed', 0)} | {r['rps']:.0f} | {r['p50_ms']:.2f} ms | {r['p99_ms']:.2f} ms |")
        print("")
    print("- **With history**: `benches/history.py`: the demo fleet in the sandbox (14 days of 5-minute datapoints) and demo-fleet-watch with an SNS alert target; each probe is one demo thing's HTTP report that opens port 4444, then ListActiveViolations for that thing until the violation is listed. Each report is followed by its alert sweep (the reporting thing's own behaviors); each ListActiveViolations reads the whole fleet's 14 days for demo-fleet-watch's statistical threshold.")
    print("- **Alerts**: `benches/alerts.py`: 1,000 things each send one report (HTTP) that opens a port their profile does not allow; the figure is the alerts over the time from the first report until ListSandboxAlerts shows the last one DELIVERED to moto_server's SNS (Publish answered). moto's Publish rate bounds it as much as ddsp does.")
    print("- **Spark**: `benches/spark.py`: the same fleet written by Spark as Parquet (what the emitted SQL reads) and as gzipped metrics-export JSON (what `ddsp backtest --metrics` reads, end to end); both timed in one run.")
    print("- **Memory**: VmHWM of the editor after opening a 100-behavior profile from its in-process sandbox and typing in it.")
    print("\n## Commands against the AWS CLI\n")
    print(commands.strip())


if __name__ == "__main__":
    main()
