#!/usr/bin/env python3
"""Runs a script from `ddsp backtest --emit-sql spark` with PySpark and
prints the rows of its last statement (the violation events) as JSON lines.
Locally (`local[2]`) unless SPARK_MASTER is set; on EMR or Glue, submit it
with spark-submit as any PySpark job.

Usage: scripts/spark-sql.py SCRIPT.sql
"""

import json
import os
import sys

from pyspark.sql import SparkSession


def statements(text):
    """The script's statements: each ends with ';' at the end of a line."""
    out, current = [], []
    for line in text.splitlines():
        current.append(line)
        if line.rstrip().endswith(";"):
            body = "\n".join(current).rstrip().rstrip(";")
            if any(l.strip() and not l.strip().startswith("--") for l in body.splitlines()):
                out.append(body)
            current = []
    return out


def main():
    spark = (
        SparkSession.builder.master(os.environ.get("SPARK_MASTER", "local[2]"))
        .appName("ddsp-backtest")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    parts = statements(open(sys.argv[1]).read())
    for statement in parts[:-1]:
        spark.sql(statement)
    for row in spark.sql(parts[-1]).collect():
        print(json.dumps(row.asDict(), sort_keys=True))
    spark.stop()


if __name__ == "__main__":
    main()
