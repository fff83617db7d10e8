#!/usr/bin/env bash
# Times `ddsp` against the AWS CLI (awscli from PyPI, in .venv) on the same
# sandbox: create-security-profile --cli-input-json, describe and list, N runs
# each, and prints a markdown table with the mean time per call and the ratio.
# Usage: benches/commands.sh [RUNS]   (default 20)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-20}

cargo build --release --quiet
if [ ! -x .venv/bin/aws ]; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check awscli
fi
ddsp=target/release/ddsp
aws=.venv/bin/aws

work=$(mktemp -d)
out="$work/sandbox.out"
"$ddsp" sandbox --port 0 --in-memory --no-mqtt >"$out" 2>/dev/null &
sandbox=$!
trap 'kill $sandbox 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q '^endpoint: ' "$out" && break; sleep 0.05; done
url=$(sed -n 's/^endpoint: //p' "$out")

export AWS_ACCESS_KEY_ID=AKIADDSPSANDBOX00001 AWS_SECRET_ACCESS_KEY=ddsp-sandbox-secret-access-key
export AWS_DEFAULT_REGION=us-east-1 AWS_PAGER="" AWS_EC2_METADATA_DISABLED=true
export AWS_CONFIG_FILE="$work/config" AWS_SHARED_CREDENTIALS_FILE="$work/credentials"
input="file://$PWD/tests/fixtures/possible-issue-create.json"

# Mean milliseconds of `runs` runs of a command; {i} in the arguments becomes the run number.
time_ms() {
  local start end i
  start=$(date +%s%N)
  for i in $(seq "$runs"); do
    "${@//\{i\}/$i}" >/dev/null
  done
  end=$(date +%s%N)
  echo $(( (end - start) / runs / 1000 ))
}

row() {
  local name=$1 ours=$2 theirs=$3
  printf '| %s | %d.%03d ms | %d.%03d ms | %sx |\n' "$name" $((ours / 1000)) $((ours % 1000)) $((theirs / 1000)) $((theirs % 1000)) \
    "$(awk -v a="$theirs" -v b="$ours" 'BEGIN { printf "%.1f", a / b }')"
}

echo "ddsp vs AWS CLI on one sandbox, $runs runs each ($(nproc) cores, $(uname -m))"
echo
echo "| call | ddsp | aws | aws / ddsp |"
echo "|---|---:|---:|---:|"
d=$(time_ms "$ddsp" create-security-profile --cli-input-json "$input" --security-profile-name "ddsp-{i}" --endpoint-url "$url")
a=$(time_ms "$aws" iot create-security-profile --cli-input-json "$input" --security-profile-name "aws-{i}" --endpoint-url "$url")
row "create-security-profile --cli-input-json" "$d" "$a"
d=$(time_ms "$ddsp" describe-security-profile --security-profile-name ddsp-1 --endpoint-url "$url")
a=$(time_ms "$aws" iot describe-security-profile --security-profile-name ddsp-1 --endpoint-url "$url")
row "describe-security-profile" "$d" "$a"
d=$(time_ms "$ddsp" list-security-profiles --endpoint-url "$url")
a=$(time_ms "$aws" iot list-security-profiles --endpoint-url "$url")
row "list-security-profiles" "$d" "$a"

# The floor under any command: starting a process that does nothing.
printf 'fn main() {}\n' >"$work/floor.rs"
rustc -O -o "$work/floor" "$work/floor.rs"
f=$(time_ms "$work/floor")
echo
printf 'Process-start floor (a trivial Rust binary, `fn main() {}`, timed the same way): %d.%03d ms per run.\n' $((f / 1000)) $((f % 1000))
