"""A device built on the AWS IoT Device SDK for Python v2 (awsiotsdk),
unmodified: connects with mutual TLS, subscribes to its Device Defender reply
topics, publishes a report in JSON, one in CBOR and a malformed one, and prints
each reply it receives as one JSON line: {"topic": ..., "document": ...}.

Usage: sdk_report.py HOST PORT CA CERT KEY THING
"""
import json
import sys
import threading
import time

import cbor2
from awscrt import mqtt
from awsiot import mqtt_connection_builder

host, port, ca, cert, key, thing = sys.argv[1:7]
base = f"$aws/things/{thing}/defender/metrics"
replies = []
arrived = threading.Condition()


def on_message(topic, payload, **kwargs):
    # Replies come in the report's own encoding.
    document = cbor2.loads(payload) if "/cbor/" in topic else json.loads(payload)
    with arrived:
        replies.append({"topic": topic, "document": document})
        arrived.notify_all()


def wait_for(n, seconds=20):
    deadline = time.time() + seconds
    with arrived:
        while len(replies) < n and time.time() < deadline:
            arrived.wait(deadline - time.time())
    if len(replies) < n:
        sys.exit(f"only {len(replies)} replies of {n} within {seconds} s")


connection = mqtt_connection_builder.mtls_from_path(
    endpoint=host,
    port=int(port),
    cert_filepath=cert,
    pri_key_filepath=key,
    ca_filepath=ca,
    client_id=thing,
    clean_session=True,
    keep_alive_secs=30,
)
connection.connect().result(timeout=20)
for fmt in ("json", "cbor"):
    for outcome in ("accepted", "rejected"):
        future, _ = connection.subscribe(f"{base}/{fmt}/{outcome}", mqtt.QoS.AT_LEAST_ONCE, on_message)
        future.result(timeout=20)

report_id = int(time.time())
report = {
    "header": {"report_id": report_id, "version": "1.0"},
    "metrics": {
        "listening_tcp_ports": {"ports": [{"port": 22}, {"port": 4444}], "total": 2},
        "network_stats": {"bytes_in": 100, "bytes_out": 2500, "packets_in": 3, "packets_out": 9},
    },
}
connection.publish(f"{base}/json", json.dumps(report), mqtt.QoS.AT_LEAST_ONCE)[0].result(timeout=20)
wait_for(1)
short = {"hed": {"rid": report_id + 1, "v": "1.0"},
         "met": {"tp": {"pts": [{"pt": 22}], "t": 1}, "ns": {"bi": 256, "bo": 0, "pi": 3, "po": 1}}}
connection.publish(f"{base}/cbor", cbor2.dumps(short), mqtt.QoS.AT_LEAST_ONCE)[0].result(timeout=20)
wait_for(2)
connection.publish(f"{base}/json", '{"header": {"report_id": 7}', mqtt.QoS.AT_LEAST_ONCE)[0].result(timeout=20)
wait_for(3)
connection.disconnect().result(timeout=20)
for r in replies:
    print(json.dumps(r))
