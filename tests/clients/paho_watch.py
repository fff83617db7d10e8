"""A generic MQTT client (paho-mqtt, unmodified) against the sandbox's TLS
listener, with a client certificate.

  paho_watch.py watch HOST PORT CA CERT KEY THING EXPORT_TOPIC
      subscribes to the publish-only report topic (expecting a refusal), to
      the reply topics, to EXPORT_TOPIC and to a topic of its own; publishes
      to its own topic, a good report and a malformed one; prints one JSON
      document: {"granted": [...], "messages": [{"topic", "payload"}]}.
  paho_watch.py connect HOST PORT CA CERT KEY
      only connects; prints {"connected": true|false, "error": ...}.
  paho_watch.py hold HOST PORT CA CERT KEY
      connects, prints "connected", then waits up to 20 s for the sandbox to
      drop the connection; prints {"dropped": true|false}.
"""
import json
import ssl
import sys
import threading
import time

import paho.mqtt.client as mqtt

mode, host, port, ca, cert, key = sys.argv[1:7]
client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=f"paho-{mode}", protocol=mqtt.MQTTv311)
client.tls_set(ca_certs=ca, certfile=cert, keyfile=key, tls_version=ssl.PROTOCOL_TLS_CLIENT)
events = threading.Condition()
state = {"connected": None, "granted": {}, "messages": []}


def on_disconnect(c, userdata, flags, reason_code, properties):
    with events:
        state["dropped"] = True
        events.notify_all()


def on_connect(c, userdata, flags, reason_code, properties):
    with events:
        state["connected"] = not reason_code.is_failure
        events.notify_all()


def on_subscribe(c, userdata, mid, reason_codes, properties):
    with events:
        state["granted"][mid] = [rc.value for rc in reason_codes]
        events.notify_all()


def on_message(c, userdata, message):
    with events:
        state["messages"].append({"topic": message.topic, "payload": json.loads(message.payload) if message.payload[:1] in (b"{", b"[") else message.payload.decode()})
        events.notify_all()


def wait(predicate, seconds=15):
    deadline = time.time() + seconds
    with events:
        while not predicate() and time.time() < deadline:
            events.wait(max(0.01, deadline - time.time()))
    return predicate()


client.on_connect = on_connect
client.on_subscribe = on_subscribe
client.on_message = on_message
client.on_disconnect = on_disconnect
if mode == "hold":
    client.reconnect_delay_set(min_delay=60, max_delay=60)
    client.connect(host, int(port), keepalive=30)
    client.loop_start()
    if not wait(lambda: state["connected"]):
        sys.exit("not connected")
    print("connected", flush=True)
    dropped = wait(lambda: state.get("dropped"), 20)
    client.loop_stop()
    print(json.dumps({"dropped": bool(dropped)}))
    sys.exit(0)
if mode == "connect":
    try:
        client.connect(host, int(port), keepalive=30)
        client.loop_start()
        ok = wait(lambda: state["connected"] is not None, 10) and state["connected"]
        print(json.dumps({"connected": bool(ok), "error": None}))
    except Exception as e:  # the handshake's refusal
        print(json.dumps({"connected": False, "error": str(e)}))
    client.loop_stop()
    sys.exit(0)

thing, export_topic = sys.argv[7:9]
base = f"$aws/things/{thing}/defender/metrics/json"
client.connect(host, int(port), keepalive=30)
client.loop_start()
if not wait(lambda: state["connected"] is not None) or not state["connected"]:
    sys.exit("not connected")
subscriptions = [base, f"{base}/accepted", f"{base}/rejected", export_topic, "paho/+/echo"]
mids = [client.subscribe(t, qos=1)[1] for t in subscriptions]
if not wait(lambda: all(m in state["granted"] for m in mids)):
    sys.exit("no SUBACK")
client.publish("paho/one/echo", "hello", qos=1)
report = {"header": {"report_id": int(time.time()), "version": "1.0"},
          "metrics": {"listening_tcp_ports": {"ports": [{"port": 22}, {"port": 8080}], "total": 2}}}
client.publish(base, json.dumps(report), qos=1)
wait(lambda: len(state["messages"]) >= 3)
client.publish(base, json.dumps({"header": {"report_id": 1, "version": "1.0"}, "metrics": [1, 2]}), qos=0)
wait(lambda: len(state["messages"]) >= 4)
client.disconnect()
client.loop_stop()
print(json.dumps({"granted": [state["granted"][m] for m in mids], "messages": state["messages"]}))
