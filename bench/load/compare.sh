#!/usr/bin/env bash
# Interleaved comparison of proxies under the same load: the method behind the tables docs/benchmarks.md judges the
# node's targets by. Every server is started once, in front of one nginx application; then each round measures
# every server in turn, so that the machine's slow phases (steal time, a neighbour's cache traffic) fall on all of
# them alike instead of on whichever single run they happen to hit. The first server is the baseline: the summary
# gives each other one's CPU time per request minus the baseline's and its requests/s over the baseline's.
#
# Usage:  bench/load/compare.sh [NAME=COMMAND ...]
#         bench/load/compare.sh                       bare YARP against the node in block mode (the default pair)
#         KIND=GET C=64 bench/load/compare.sh yarp=... a=... b=...
#
# A COMMAND is run pinned to SERVER_CPU; @PORT@ in it is replaced by the port to listen on, @ADMIN@ by a second free
# port (for the node's admin listener), @APP@ by the application's address (http://127.0.0.1:PORT).
#
# Environment (all optional):
#   KIND=POST        POST (the 1 KiB JSON order) or GET (a small GET with browser-like headers and a cookie)
#   C=16             wrk connections
#   D=6              seconds of each measured run
#   R=4              rounds
#   PRIME=8          seconds of load each server gets before the first round (the JIT builds' tiering)
#   LOAD_CPU=0 SERVER_CPU=1
#
# Per round and server: requests/s and CPU time per request (utime+stime of the server's process over the run,
# from /proc/PID/stat). At the end: the means, the differences to the baseline, and each server's peak RSS.
# Any non-2xx response or socket error fails the comparison.

set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
KIND=${KIND:-POST}
C=${C:-16}
D=${D:-6}
R=${R:-4}
PRIME=${PRIME:-8}
LOAD_CPU=${LOAD_CPU:-0}
SERVER_CPU=${SERVER_CPU:-1}
CLK_TCK=$(getconf CLK_TCK)

case $KIND in
    POST) LUA=$SCRIPT_DIR/post.lua; REQUEST_PATH=/api/orders ;;
    GET) LUA=$SCRIPT_DIR/get.lua; REQUEST_PATH='/shop/products?category=books&sort=price&page=2' ;;
    *) echo "KIND must be GET or POST" >&2; exit 2 ;;
esac

for tool in nginx wrk taskset; do
    command -v $tool >/dev/null || { echo "compare.sh needs $tool" >&2; exit 2; }
done

if [[ $# -eq 0 ]]; then
    set -- "yarp=$REPO_ROOT/bench/BareYarp/bin/Release/net10.0/BareYarp --listen 127.0.0.1:@PORT@ --upstream @APP@" \
        "node=$REPO_ROOT/artifacts/native/palisade node --listen 127.0.0.1:@PORT@ --admin-listen 127.0.0.1:@ADMIN@ --management-listen 127.0.0.1:0 --upstream @APP@ --mode block --log-level warning"
fi

for spec in "$@"; do
    executable=${spec#*=}
    executable=${executable%% *}
    [[ -x $executable ]] || command -v "$executable" >/dev/null || {
        echo "$executable: not found; build it first (bench/load/README.md)" >&2
        exit 2
    }
done

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

RUN_DIR=$(mktemp -d)
chmod 755 "$RUN_DIR"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$RUN_DIR"
}
trap cleanup EXIT

APP_PORT=$(free_port)
sed -e "s|@RUN_DIR@|$RUN_DIR|g" -e "s|@PORT@|$APP_PORT|g" "$SCRIPT_DIR/nginx-app.conf" > "$RUN_DIR/app.conf"
taskset -c "$SERVER_CPU" nginx -p "$RUN_DIR" -c "$RUN_DIR/app.conf" -e "$RUN_DIR/app-error.log" &
PIDS+=($!)

declare -A PID_OF PORT_OF
NAMES=()
for spec in "$@"; do
    name=${spec%%=*}
    command=${spec#*=}
    port=$(free_port)
    command=${command//@PORT@/$port}
    command=${command//@ADMIN@/$(free_port)}
    command=${command//@APP@/http://127.0.0.1:$APP_PORT}
    # shellcheck disable=SC2086 # the command is split into its words on purpose
    env DOTNET_TC_CallCountingDelayMs=0 taskset -c "$SERVER_CPU" $command > "$RUN_DIR/$name.log" 2>&1 &
    PID_OF[$name]=$!
    PORT_OF[$name]=$port
    PIDS+=($!)
    NAMES+=("$name")
done

wait_ready() {
    for _ in $(seq 100); do
        curl -s -o /dev/null "http://127.0.0.1:$1/" && return 0
        sleep 0.1
    done
    echo "nothing answers on port $1; its log:" >&2
    cat "$RUN_DIR/$2.log" >&2
    exit 1
}
wait_ready "$APP_PORT" app
for name in "${NAMES[@]}"; do wait_ready "${PORT_OF[$name]}" "$name"; done

cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }

# Runs wrk against a server; prints "requests requests/s", fails on errors or non-2xx answers.
load() {
    local out
    out=$(taskset -c "$LOAD_CPU" wrk -t1 -c"$C" -d"$2"s -s "$LUA" "http://127.0.0.1:${PORT_OF[$1]}$REQUEST_PATH")
    if grep -qE 'Non-2xx|Socket errors' <<< "$out"; then
        echo "$1: errors under load:" >&2
        echo "$out" >&2
        exit 1
    fi
    awk '/requests in/ { n = $1 } /Requests\/sec/ { print n, $2 }' <<< "$out"
}

echo "$KIND, $C connections, $R rounds of ${D} s, servers on CPU $SERVER_CPU, wrk on CPU $LOAD_CPU"
for name in "${NAMES[@]}"; do load "$name" "$PRIME" > /dev/null; done

declare -A CPU_SUM RPS_SUM
for round in $(seq "$R"); do
    for name in "${NAMES[@]}"; do
        pid=${PID_OF[$name]}
        before=$(cpu_ticks "$pid")
        result=$(load "$name" "$D")
        read -r requests rps <<< "$result"
        after=$(cpu_ticks "$pid")
        cpu=$(awk -v t=$((after - before)) -v n="$requests" -v hz="$CLK_TCK" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }')
        printf 'round %d  %-12s %10.0f req/s  %7s µs CPU/req\n' "$round" "$name" "$rps" "$cpu"
        CPU_SUM[$name]=$(awk -v a="${CPU_SUM[$name]:-0}" -v b="$cpu" 'BEGIN { print a + b }')
        RPS_SUM[$name]=$(awk -v a="${RPS_SUM[$name]:-0}" -v b="$rps" 'BEGIN { print a + b }')
    done
done

base=${NAMES[0]}
echo
echo "| server | req/s | CPU µs/req | vs $base: req/s | vs $base: CPU µs/req | peak RSS MiB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
for name in "${NAMES[@]}"; do
    rss=$(awk '/VmHWM/ { printf "%.0f", $2 / 1024 }' "/proc/${PID_OF[$name]}/status")
    awk -v n="$name" -v r="$R" -v c="${CPU_SUM[$name]}" -v q="${RPS_SUM[$name]}" -v bc="${CPU_SUM[$base]}" -v bq="${RPS_SUM[$base]}" -v rss="$rss" -v base="$base" 'BEGIN {
        if (n == base) { printf "| %s | %.0f | %.1f | | | %s |\n", n, q / r, c / r, rss }
        else { printf "| %s | %.0f | %.1f | %.2fx | %+.1f | %s |\n", n, q / r, c / r, q / bq, (c - bc) / r, rss }
    }'
done
