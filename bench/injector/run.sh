#!/usr/bin/env bash
# Admission latency of the injector as it ships (NativeAOT, artifacts/native/palisade), over HTTPS on loopback:
# POST /inject with a ReplicaSet's pod (review.json), side by side with GET /healthz on the same server in the same
# run (the TLS and HTTP cost alone), at 1 and 16 connections. wrk on one core, the injector on the other.
#
# Usage: bench/injector/run.sh            (build first: dotnet publish src/Palisade -c Release -r linux-x64 -o artifacts/native)
# Environment: D=8 seconds per row, LOAD_CPU=0 SERVER_CPU=1.

set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
BIN=${PALISADE_BIN:-$REPO_ROOT/artifacts/native/palisade}
D=${D:-8}
LOAD_CPU=${LOAD_CPU:-0}
SERVER_CPU=${SERVER_CPU:-1}

for tool in wrk openssl taskset curl; do
    command -v $tool >/dev/null || { echo "run.sh needs $tool" >&2; exit 2; }
done
[[ -x $BIN ]] || { echo "$BIN: not found; publish the node first" >&2; exit 2; }

RUN_DIR=$(mktemp -d)
PID=
cleanup() {
    if [[ -n $PID ]]; then kill "$PID" 2>/dev/null || true; fi
    wait 2>/dev/null || true
    rm -rf "$RUN_DIR"
}
trap cleanup EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
    -keyout "$RUN_DIR/tls.key" -out "$RUN_DIR/tls.crt" 2>/dev/null
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
taskset -c "$SERVER_CPU" "$BIN" injector --listen "127.0.0.1:$PORT" --tls-cert "$RUN_DIR/tls.crt" --tls-key "$RUN_DIR/tls.key" \
    > "$RUN_DIR/injector.log" 2>&1 &
PID=$!
for _ in $(seq 100); do
    curl -sk -o /dev/null "https://127.0.0.1:$PORT/healthz" && break
    sleep 0.1
done

row() {
    local out
    out=$(taskset -c "$LOAD_CPU" wrk -t1 -c"$2" -d"${D}s" --latency "${@:3}" "https://127.0.0.1:$PORT$1")
    if grep -qE 'Non-2xx|Socket errors' <<< "$out"; then
        echo "$1: errors under load:" >&2
        echo "$out" >&2
        exit 1
    fi
    awk -v path="$1" -v c="$2" '
        /^ +50%/ { p50 = $2 } /^ +99%/ { p99 = $2 } /Requests\/sec/ { rps = $2 }
        END { printf "| %s | %d | %.0f | %s | %s |\n", path, c, rps, p50, p99 }' <<< "$out"
}

echo "| request | connections | req/s | p50 | p99 |"
echo "| --- | ---: | ---: | ---: | ---: |"
for c in 1 16; do
    row /healthz "$c"
    row /inject "$c" -s "$SCRIPT_DIR/review.lua"
done
awk '/VmHWM/ { printf "\npeak RSS of the injector: %.0f MiB\n", $2 / 1024 }' "/proc/$PID/status"
