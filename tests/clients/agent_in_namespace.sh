#!/usr/bin/env bash
# Runs the AWS IoT Device Defender agent (awsiotdevicedefenderagentsdk from
# PyPI, unmodified) against the sandbox's TLS listener on port 443, where the
# agent connects (it has no port option: the Device SDK picks 443 with ALPN
# x-amzn-mqtt-ca). Meant to run inside a network namespace of its own
# (`unshare -rn`), where port 443 on loopback is free and ours to bind; as
# root it also runs without one while 443 is free.
#
# Usage: agent_in_namespace.sh DDSP PYTHON AWS WORKDIR SECONDS FORMAT (json or cbor)
# Prints, last, one JSON line: what the sandbox holds after the agent ran.
set -euo pipefail
ddsp=$1 python=$2 aws=$3 work=$4 seconds=$5 format=$6
ip link set lo up 2>/dev/null || true
cd "$work"
export AWS_ACCESS_KEY_ID=AKIADDSPSANDBOX00001 AWS_SECRET_ACCESS_KEY=ddsp-sandbox-secret-access-key AWS_DEFAULT_REGION=us-east-1
"$ddsp" sandbox --port 0 --db "$work/sandbox.db" --mqtt-port 443 --report-interval 1 >sandbox.out 2>sandbox.err &
sandbox=$!
trap 'kill $sandbox 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q '^Stop it' sandbox.out 2>/dev/null && break
  sleep 0.1
done
endpoint=$(sed -n 's/^endpoint: //p' sandbox.out)
[ -n "$endpoint" ] || { cat sandbox.err >&2; exit 1; }
iot() { "$aws" --endpoint-url "$endpoint" iot "$@"; }
iot create-thing --thing-name agent-1 >/dev/null
arn=$(iot create-keys-and-certificate --set-as-active --certificate-pem-outfile cert.pem \
  --public-key-outfile public.key --private-key-outfile private.key --query certificateArn --output text)
iot attach-thing-principal --thing-name agent-1 --principal "$arn"
"$ddsp" sandbox ca --db "$work/sandbox.db" >ca.pem
iot create-security-profile --security-profile-name agent-watch --behaviors \
  '[{"name":"AnyListeningPorts","metric":"aws:num-listening-tcp-ports","criteria":{"comparisonOperator":"less-than","value":{"count":0},"consecutiveDatapointsToAlarm":1,"consecutiveDatapointsToClear":1}}]' >/dev/null
iot attach-security-profile --security-profile-name agent-watch \
  --security-profile-target-arn arn:aws:iot:us-east-1:123456789012:all/registered-things
"$python" -m AWSIoTDeviceDefenderAgentSDK.agent -e localhost -r ca.pem -c cert.pem -k private.key \
  -id agent-1 -f "$format" -i 2 >agent.out 2>agent.err &
agent=$!
sleep "$seconds"
kill $agent 2>/dev/null || true
wait $agent 2>/dev/null || true
start=$(( $(date +%s) - 600 )) end=$(( $(date +%s) + 600 ))
values=$(iot list-metric-values --thing-name agent-1 --metric-name aws:num-listening-tcp-ports \
  --start-time "$start" --end-time "$end" --output json)
violations=$(iot list-active-violations --thing-name agent-1 --output json)
accepted=$(grep -c 'status="ACCEPTED"' sandbox.err || true)
"$python" -c 'import json,sys; print(json.dumps({"accepted": int(sys.argv[1]), "values": json.loads(sys.argv[2]), "violations": json.loads(sys.argv[3]), "agent": open("agent.out").read()[-2000:]}))' \
  "$accepted" "$values" "$violations"
