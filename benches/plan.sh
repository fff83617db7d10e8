#!/usr/bin/env bash
# ddsp plan of 200 profiles against a sandbox that adds 50 ms to every
# request (--faults latency=50ms); target: under 2 s (a bounded pool, not
# 200 profiles x 3 calls x 50 ms in series). Prints the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked --quiet
bin=target/release/ddsp
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
mkdir -p "$work/profiles"
for i in $(seq 1 200); do
  cat > "$work/profiles/p$i.json" <<JSON
{"securityProfileName": "bench-$i", "securityProfileDescription": "profile $i",
 "behaviors": [{"name": "msgs", "metric": "aws:num-messages-sent",
   "criteria": {"comparisonOperator": "greater-than", "value": {"count": $i}, "durationSeconds": 300}}],
 "tags": [{"Key": "bench", "Value": "yes"}]}
JSON
done
export AWS_ACCESS_KEY_ID=AKIADDSPSANDBOX00001 AWS_SECRET_ACCESS_KEY=ddsp-sandbox-secret-access-key AWS_DEFAULT_REGION=us-east-1
export AWS_CONFIG_FILE="$work/none" AWS_SHARED_CREDENTIALS_FILE="$work/none"
unset AWS_PROFILE || true

# A sandbox on the bench's database; $url is where it listens, $pid its process.
serve() {
  "$bin" sandbox --port 0 --db "$work/sandbox.db" --faults "${1:-}" > "$work/url" 2>/dev/null &
  pid=$!
  for _ in $(seq 1 200); do grep -q http "$work/url" 2>/dev/null && break; sleep 0.05; done
  url=$(grep -o 'http://[^ ]*' "$work/url" | head -1)
}
serve ""
"$bin" apply "$work/profiles" --auto-approve --endpoint-url "$url" > /dev/null
kill "$pid"; wait "$pid" 2>/dev/null || true
serve "latency=50ms"
start=$(date +%s.%N)
"$bin" plan "$work/profiles" --detailed-exitcode --endpoint-url "$url" > "$work/plan.out"
end=$(date +%s.%N)
tail -1 "$work/plan.out"
awk -v s="$start" -v e="$end" 'BEGIN { printf "plan of 200 profiles, 50 ms added per request: %.2f s (target < 2 s)\n", e - s }'
