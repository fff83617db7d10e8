#!/usr/bin/env bash
# Measures `ddsp sandbox ingest`: writes a metrics-export file of DATAPOINTS
# datapoints (default 1,000,000: 2,000 things, 500 five-minute counts each, one
# document per thing), stores it in a fresh database, and prints ddsp's own
# figure (reading and storing). Target: at least 1 million datapoints per second.
# Usage: benches/ingest.sh [DATAPOINTS]
set -euo pipefail
cd "$(dirname "$0")/.."
total=${1:-1000000}
cargo build --release --locked --quiet
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$total" "$dir/export.json" <<'PY'
import json, sys
total, path = int(sys.argv[1]), sys.argv[2]
per = 500
start = 1_700_000_000
with open(path, "w") as f:
    for t in range(total // per):
        metrics = [{"name": "aws:num-messages-sent", "thing": f"thing-{t:05}", "value": {"count": (i * 7 + t) % 97},
                    "version": 1, "timestamp": start + i * 300} for i in range(per)]
        f.write(json.dumps({"version": "1.0", "metrics": metrics}))
        f.write("\n")
PY
echo "benches/ingest.sh: $(du -h "$dir/export.json" | cut -f1) of metrics-export JSON" >&2
target/release/ddsp sandbox ingest "$dir/export.json" --db "$dir/sandbox.db" | tail -1
