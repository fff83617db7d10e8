#!/usr/bin/env python3
"""Figures for `ddsp backtest --emit-sql spark`: the emitted Spark SQL on a
local Spark (2 cores) over the benchmark fleet's shape (things x 5-minute
message counts, one behavior), beside the in-process `ddsp backtest
--metrics` on the same data in the same run, at several sizes so the growth
shows. Prints one line per size.

The fleet is written by Spark itself twice: as Parquet (what the SQL reads,
`--format parquet`) and as gzipped metrics-export JSON lines (what the
in-process backtest reads). The in-process figure is end to end: reading
and parsing the JSON, then evaluating.

Usage: benches/spark.py DDSP_BINARY [MILLIONS ...]   (default: 10 20 40)
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

from pyspark.sql import SparkSession

STEP = 300
T0 = 1_790_000_100 - 1_790_000_100 % 86_400
THINGS = 10_000

PROFILE = {
    "securityProfileName": "bench",
    "behaviors": [
        {
            "name": "MessagesSent",
            "metric": "aws:num-messages-sent",
            "criteria": {
                "comparisonOperator": "less-than-equals",
                "value": {"count": 100},
                "durationSeconds": 300,
                "consecutiveDatapointsToAlarm": 2,
                "consecutiveDatapointsToClear": 2,
            },
        }
    ],
}


def fleet(spark, datapoints, out):
    """`datapoints` seeded counts for THINGS things, one document per thing-hour."""
    frame = spark.sql(
        f"""
        SELECT '1.0' AS version, collect_list(named_struct(
            'name', 'aws:num-messages-sent', 'thing', concat('thing-', lpad(CAST(thing AS STRING), 5, '0')),
            'value', named_struct('count', CAST(30 + 10 * sin(i % 288 / 288.0 * 6.283) + pmod(hash(id), 80) AS BIGINT),
                'number', CAST(NULL AS DOUBLE), 'cidrs', CAST(NULL AS ARRAY<STRING>), 'ports', CAST(NULL AS ARRAY<BIGINT>),
                'numbers', CAST(NULL AS ARRAY<DOUBLE>), 'strings', CAST(NULL AS ARRAY<STRING>)),
            'version', CAST(1 AS BIGINT), 'timestamp', CAST({T0} + i * {STEP} AS DOUBLE),
            'dimension', CAST(NULL AS STRUCT<name: STRING, operator: STRING>))) AS metrics
        FROM (SELECT id, id % {THINGS} AS thing, id DIV {THINGS} AS i FROM range({datapoints}))
        GROUP BY thing, i DIV 12
        """
    )
    frame.write.mode("overwrite").parquet(os.path.join(out, "parquet"))
    frame.write.mode("overwrite").option("compression", "gzip").json(os.path.join(out, "json"))


def run_script(spark, path):
    statements, current = [], []
    for line in open(path).read().splitlines():
        current.append(line)
        if line.rstrip().endswith(";"):
            body = "\n".join(current).rstrip().rstrip(";")
            if any(l.strip() and not l.strip().startswith("--") for l in body.splitlines()):
                statements.append(body)
            current = []
    for s in statements[:-1]:
        spark.sql(s)
    return spark.sql(statements[-1]).count()


def main():
    binary = sys.argv[1]
    sizes = [int(m) for m in sys.argv[2:]] or [10, 20, 40]
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "8g")
        .config("spark.sql.shuffle.partitions", "16")
        # Parquet without compression: snappy-java loads a native library, and picks
        # the musl one where a musl loader is installed (as for ddsp's static build).
        .config("spark.sql.parquet.compression.codec", "uncompressed")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    work = tempfile.mkdtemp(prefix="ddsp-spark-bench-")
    profile = os.path.join(work, "profile.json")
    with open(profile, "w") as f:
        json.dump(PROFILE, f)
    try:
        for millions in sizes:
            n = millions * 1_000_000
            out = os.path.join(work, f"{millions}m")
            fleet(spark, n, out)
            script = os.path.join(out, "backtest.sql")
            with open(script, "w") as f:
                subprocess.run(
                    [binary, "backtest", profile, "--emit-sql", "spark", "--input", os.path.join(out, "parquet"), "--format", "parquet"],
                    stdout=f,
                    check=True,
                )
            spark.catalog.clearCache()
            started = time.monotonic()
            events = run_script(spark, script)
            spark_s = time.monotonic() - started
            files = sorted(os.path.join(out, "json", p) for p in os.listdir(os.path.join(out, "json")) if p.endswith(".json.gz"))
            started = time.monotonic()
            report = subprocess.run(
                [binary, "backtest", profile, "--metrics", *files, "--offline", "--output", "json"],
                capture_output=True,
                check=True,
            )
            process_s = time.monotonic() - started
            alarms = json.loads(report.stdout)["behaviors"][0]["file"]["alarms"]
            print(
                f"{millions} M datapoints: Spark SQL (local, 2 cores) {spark_s:.1f} s, {events} events; "
                f"in-process backtest (reading the gzipped JSON) {process_s:.1f} s, {alarms} alarms",
                flush=True,
            )
            shutil.rmtree(out, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        spark.stop()


if __name__ == "__main__":
    main()
