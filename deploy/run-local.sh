#!/usr/bin/env bash
# The whole system on one machine: a broker with per-booth users and ACLs, the ingest service,
# and a simulated booth placing one call. Prints the transcript and the page to open.
# Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
RUN=.run
BROKER_PORT=${BROKER_PORT:-18830}
API_PORT=${API_PORT:-8000}
BOOTH=booth-demo

pids=()
cleanup() {
    trap - EXIT INT TERM
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    echo "stopped."
}
trap cleanup EXIT INT TERM

rm -rf "$RUN/broker" && mkdir -p "$RUN/broker" "$RUN/data"
secret() { head -c 18 /dev/urandom | base64 | tr -d '/+='; }
ingest_pw=$(secret)
booth_pw=$(secret)
mosquitto_passwd -c -b "$RUN/broker/passwords" ingest "$ingest_pw" 2>/dev/null
mosquitto_passwd -b "$RUN/broker/passwords" "$BOOTH" "$booth_pw" 2>/dev/null
cp deploy/mosquitto/acl "$RUN/broker/acl"
cat > "$RUN/broker/mosquitto.conf" <<CONF
user $(id -un)
per_listener_settings false
allow_anonymous false
password_file $PWD/$RUN/broker/passwords
acl_file $PWD/$RUN/broker/acl
max_queued_messages 100000
set_tcp_nodelay true
listener $BROKER_PORT 127.0.0.1
CONF
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
"$MOSQUITTO" -c "$RUN/broker/mosquitto.conf" >"$RUN/broker.log" 2>&1 &
pids+=($!)
echo "broker      mqtt://127.0.0.1:$BROKER_PORT (users: ingest, $BOOTH; log $RUN/broker.log)"

export INGEST_DATA_DIR="$RUN/data"
export INGEST_MQTT_URL="mqtt://ingest:$ingest_pw@127.0.0.1:$BROKER_PORT"
export INGEST_PUBLIC_URL="http://127.0.0.1:$API_PORT"
"$BIN/ingest" --log-level WARNING booth add "$BOOTH" --neighborhood aarhus-c --location "Demo booth"
token=$("$BIN/ingest" --log-level WARNING token create --role admin --name "local-$(date +%s)")
"$BIN/ingest" serve --port "$API_PORT" >"$RUN/ingest.log" 2>&1 &
pids+=($!)
"$BIN/python" - "$API_PORT" <<'PY'
import sys, time, httpx
url = f"http://127.0.0.1:{sys.argv[1]}/readyz"
for _ in range(300):
    try:
        if httpx.get(url, timeout=1).status_code == 200:
            break
    except httpx.HTTPError:
        pass
    time.sleep(0.2)
else:
    sys.exit("ingest did not become ready; see .run/ingest.log")
PY
echo "ingest      http://127.0.0.1:$API_PORT (log $RUN/ingest.log)"

# A planner opens a theme with a recorded question; ingest publishes it to the booth.
"$BIN/python" - "$API_PORT" "$token" <<'PY'
import sys, httpx
port, token = sys.argv[1:]
api = httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {token}"})
theme = {"slug": "city-life", "title": "Life in the city",
         "question": "What would make life in the city better?", "neighborhoods": ["aarhus-c"]}
if api.post("/api/themes", json=theme).status_code not in (201, 409):
    sys.exit("could not create the demo theme")
with open("deploy/samples/prompt-city-life.wav", "rb") as prompt:
    api.put("/api/themes/city-life/prompt", content=prompt.read()).raise_for_status()
print("theme       city-life, with its spoken question, published to the booth")
PY

echo "booth       $BOOTH lifts the receiver, consents with #, speaks deploy/samples/sample-call.wav"
BOOTH_ID=$BOOTH BOOTH_NEIGHBORHOOD=aarhus-c BOOTH_THEME=city-life \
BOOTH_MQTT_URL="mqtt://$BOOTH:$booth_pw@127.0.0.1:$BROKER_PORT" \
BOOTH_SPOOL_DIR="$RUN/spool" BOOTH_CONFIG_FILE=/nonexistent \
    "$BIN/booth" --log-level WARNING simulate --audio deploy/samples/sample-call.wav --speed 3 \
    | tee "$RUN/booth.out"

clip_id=$("$BIN/python" -c 'import json,sys; print([json.loads(l) for l in open(sys.argv[1]) if l.startswith("{")][-1]["clip_id"])' "$RUN/booth.out")
"$BIN/python" - "$API_PORT" "$clip_id" "$token" <<'PY'
import sys, time, httpx
port, clip_id, token = sys.argv[1:]
auth = {"Authorization": f"Bearer {token}"}
for _ in range(600):
    clip = httpx.get(f"http://127.0.0.1:{port}/api/clips/{clip_id}", headers=auth, timeout=5).json()
    if clip["status"] in ("transcribed", "no_speech", "failed"):
        break
    time.sleep(0.2)
print(f"\ntranscript  [{clip['status']}, {clip['language']}] {clip['text']!r}")
# Published only after moderation; the demo's admin approves its own sample message.
httpx.post(f"http://127.0.0.1:{port}/api/clips/{clip_id}/moderation", headers=auth,
           json={"action": "approve", "reason": "make run demo"}, timeout=5)
PY
echo
echo "Public page:      http://127.0.0.1:$API_PORT/"
echo "Planners' console: http://127.0.0.1:$API_PORT/planner#token=$token"
echo "API docs:          http://127.0.0.1:$API_PORT/docs (admin token above)"
echo "Press Ctrl-C to stop."
wait
