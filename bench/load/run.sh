#!/usr/bin/env bash
# Palisade load benchmark: the node side by side with its baselines, in one run, on one machine.
#
# Usage:  bench/load/run.sh                 (from any directory; needs 2 cores, root not required)
#         QUICK=1 bench/load/run.sh         smoke test: 2 s runs, 1 s warm-up, 16 connections only
#
# Environment (all optional):
#   DURATION=10                 seconds of each measured wrk run
#   WARMUP=3                    seconds of the warm-up run that precedes each measured run
#   CONNECTIONS="1 16 64"       connection counts to measure
#   TARGETS="app yarp node-off node-block modsec"   targets to measure (the ratios need yarp and modsec)
#   LOAD_CPU=0 SERVER_CPU=1     core that runs wrk, core that runs every server
#   SKIP_BUILD=1                use the existing Release builds instead of building
#   PRIME_MIN=8 PRIME_MAX=120   bounds (s) of the priming of the .NET targets before the measurements
#   RUNTIME_DEFAULTS=1          start the .NET targets without DOTNET_TC_CallCountingDelayMs=0 (see below)
#   NODE_BUILD=native           the node as it ships, NativeAOT (dotnet publish -r linux-x64 into artifacts/native);
#                               jit: src/Palisade's Release build on the JIT (tiered, dynamic PGO)
#   PALISADE_BIN=PATH           measure this palisade executable instead of the NODE_BUILD one
#
# Targets, each on a free loopback port, all pinned to SERVER_CPU, all answered by the same application:
#   app          nginx answering directly (the ceiling; its CPU column is the application's own cost)
#   yarp         bench/BareYarp, a bare YARP direct forwarder with default settings   -> app
#   node-off     palisade node --mode off   (proxying only, no inspection)           -> app
#   node-block   palisade node --mode block (body buffering + inspection + proxying) -> app
#   modsec       nginx + ModSecurity v3 + OWASP CRS, paranoia level 1, blocking       -> app
#
# For each request (small GET, 1 KiB JSON POST) x connection count x target: a warm-up wrk run, then a
# measured one (wrk pinned to LOAD_CPU) that records requests/s, p50/p99 latency and the CPU time per request
# of the process under test (utime+stime from /proc/<pid>/stat before and after). Any non-2xx response or
# socket error stops the run. Before the matrix, the .NET targets are primed until their CPU per request is
# steady (the JIT's tiering done). Each row also says how much of each core other processes took meanwhile.
# Prints a markdown table and writes it to bench/load/results/latest.md. See bench/load/README.md.

set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
RESULTS_DIR=$SCRIPT_DIR/results

if [[ ${QUICK:-0} == 1 ]]; then
    DURATION=${DURATION:-2}
    WARMUP=${WARMUP:-1}
    CONNECTIONS=${CONNECTIONS:-16}
    PRIME_MAX=${PRIME_MAX:-30}
fi
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-3}
CONNECTIONS=${CONNECTIONS:-"1 16 64"}
TARGETS=${TARGETS:-"app yarp node-off node-block modsec"}
LOAD_CPU=${LOAD_CPU:-0}
SERVER_CPU=${SERVER_CPU:-1}
SKIP_BUILD=${SKIP_BUILD:-0}
PRIME_MIN=${PRIME_MIN:-8}
RUNTIME_DEFAULTS=${RUNTIME_DEFAULTS:-0}
PRIME_MAX=${PRIME_MAX:-120}
NODE_BUILD=${NODE_BUILD:-native}

# PALISADE_BIN: another build of the node to measure (a variant to compare; then also set SKIP_BUILD=1).
case $NODE_BUILD in
    native) PALISADE=${PALISADE_BIN:-$REPO_ROOT/artifacts/native/palisade} ;;
    jit) PALISADE=${PALISADE_BIN:-$REPO_ROOT/src/Palisade/bin/Release/net10.0/palisade} ;;
    *) echo "NODE_BUILD must be native or jit" >&2; exit 2 ;;
esac
BARE_YARP=$REPO_ROOT/bench/BareYarp/bin/Release/net10.0/BareYarp
MODSEC_MODULE=/usr/lib/nginx/modules/ngx_http_modsecurity_module.so
CRS_RULES=/usr/share/modsecurity-crs/rules
CLK_TCK=$(getconf CLK_TCK)

# The .NET targets start with tiered compilation's call-counting delay at 0. By default the runtime waits for
# 100 ms without new tier-0 code before it starts promoting hot methods; on one saturated core some new method
# is always being compiled, and the wait was measured to stretch to ~45 s, with requests costing 2-3x their
# steady-state CPU meanwhile. The steady-state code is the same either way (tier 1 with dynamic PGO); this only
# gets there in seconds. RUNTIME_DEFAULTS=1 starts them untouched (then raise PRIME_MIN to 90 or so).
if [[ $RUNTIME_DEFAULTS == 1 ]]; then
    DOTNET_ENV=(env)
else
    DOTNET_ENV=(env DOTNET_TC_CallCountingDelayMs=0)
fi

GET_PATH='/shop/products?category=books&sort=price&page=2'
POST_PATH='/api/orders'
SQLI_PATH="/shop/products?q=%27%20or%201%3D1--"
# The same headers as common.lua, for curl's checks.
CURL_HEADERS=(
    -H 'Host: shop.example'
    -H 'User-Agent: Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'
    -H 'Accept: application/json, text/plain, */*'
    -H 'Accept-Language: en-US,en;q=0.5'
    -H 'Cookie: session=8f3c1e9a4b7d2f60a1c5e8b3d9f7a2c4; theme=dark'
)

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[bench] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------------------
# Processes and clean-up

RUN_DIR=$(mktemp -d -t palisade-bench.XXXXXX)
# nginx workers run as an unprivileged user when the script runs as root: let them in.
chmod 755 "$RUN_DIR"
STARTED_PIDS=()

cleanup() {
    local status=$? pid waited
    trap - EXIT INT TERM
    for pid in "${STARTED_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${STARTED_PIDS[@]}"; do
        for ((waited = 0; waited < 50; waited++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$pid" 2>/dev/null; then
            log "pid $pid did not stop on SIGTERM; killing it"
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$RUN_DIR"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

declare -A PID           # target -> pid of the process started for it (nginx: the master)
declare -A CPU_PIDS      # target -> pids whose CPU time is charged to it (nginx: the workers)
declare -A PORT          # target -> listening port
# free_port NAME: sets $NAME to a free loopback port (shared with the other benchmark script).
# shellcheck source=bench/free-port.sh
source "$SCRIPT_DIR/../free-port.sh"

# Starts "$@" pinned to SERVER_CPU in the background as target $1 (stdout to $2, stderr to a log file).
start_process() {
    local target=$1 stdout=$2
    shift 2
    taskset -c "$SERVER_CPU" "$@" >"$stdout" 2>"$RUN_DIR/$target.stderr.log" &
    PID[$target]=$!
    STARTED_PIDS+=("$!")
}

# Polls until GET $2 answers 200, failing early if the process of target $1 dies. The first request that
# succeeds is the "one request" after which the idle RSS is taken.
wait_ready() {
    local target=$1 url=$2 deadline=$((SECONDS + 60)) code
    while ((SECONDS < deadline)); do
        if ! kill -0 "${PID[$target]}" 2>/dev/null; then
            tail -n 20 "$RUN_DIR/$target.stderr.log" "$RUN_DIR"/*"$target"*error.log 2>/dev/null >&2 || true
            die "$target exited during start-up (logs above)"
        fi
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "${CURL_HEADERS[@]}" "$url" || true)
        [[ $code == 200 ]] && return
        sleep 0.1
    done
    tail -n 20 "$RUN_DIR/$target.stderr.log" >&2 || true
    die "$target did not answer 200 on $url within 60 s (last status: $code)"
}

# The nginx workers of a master (the processes that do the work).
nginx_workers() {
    local workers
    workers=$(pgrep -P "$1" | tr '\n' ' ')
    [[ -n $workers ]] || die "nginx master $1 has no workers"
    echo "$workers"
}

# Renders a config template from bench/load into RUN_DIR.
render() {
    local template=$1 port=${2:-} app_port=${3:-}
    sed -e "s|@RUN_DIR@|$RUN_DIR|g" -e "s|@PORT@|$port|g" -e "s|@APP_PORT@|$app_port|g" \
        "$SCRIPT_DIR/$template" >"$RUN_DIR/$template"
}

# utime + stime, in clock ticks, summed over the given pids (whole processes: every thread, live or exited).
cpu_ticks() {
    local pid total=0 ticks
    for pid in "$@"; do
        ticks=$(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$pid/stat")
        total=$((total + ticks))
    done
    echo "$total"
}

# A field of /proc/<pid>/status in KiB (VmRSS, VmHWM).
status_kib() {
    awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status"
}

# ---------------------------------------------------------------------------------------------------------
# Preconditions and build

for tool in dotnet nginx wrk taskset curl ss awk pgrep getconf; do
    command -v "$tool" >/dev/null || die "'$tool' is required (see bench/load/README.md for the Debian packages)"
done
[[ -f $MODSEC_MODULE ]] || die "ModSecurity nginx module missing: apt-get install libnginx-mod-http-modsecurity"
[[ -d $CRS_RULES ]] || die "OWASP CRS missing: apt-get install modsecurity-crs"
taskset -c "$LOAD_CPU" true 2>/dev/null || die "cannot pin to core $LOAD_CPU (LOAD_CPU)"
taskset -c "$SERVER_CPU" true 2>/dev/null || die "cannot pin to core $SERVER_CPU (SERVER_CPU)"
[[ $LOAD_CPU != "$SERVER_CPU" ]] || die "LOAD_CPU and SERVER_CPU must differ"
for target in $TARGETS; do
    case $target in
        app | yarp | node-off | node-block | modsec) ;;
        *) die "unknown target '$target' in TARGETS" ;;
    esac
done

if [[ $SKIP_BUILD != 1 ]]; then
    log "building palisade ($NODE_BUILD) and BareYarp (Release)"
    # No build servers: nothing of ours may linger and take CPU during the measurements.
    if [[ $NODE_BUILD == native ]]; then
        dotnet publish "$REPO_ROOT/src/Palisade/Palisade.csproj" -c Release -r linux-x64 -o "$REPO_ROOT/artifacts/native" --nologo -v quiet --disable-build-servers -p:UseSharedCompilation=false
    else
        dotnet build "$REPO_ROOT/src/Palisade/Palisade.csproj" -c Release --nologo -v quiet --disable-build-servers -p:UseSharedCompilation=false
    fi
    dotnet build "$REPO_ROOT/bench/BareYarp/BareYarp.csproj" -c Release --nologo -v quiet --disable-build-servers -p:UseSharedCompilation=false
fi
[[ -x $PALISADE ]] || die "$PALISADE not found (build failed, or SKIP_BUILD=1 without a build)"
[[ -x $BARE_YARP ]] || die "$BARE_YARP not found (build failed, or SKIP_BUILD=1 without a build)"

# ---------------------------------------------------------------------------------------------------------
# Start everything

free_port 'PORT[app]'
render nginx-app.conf "${PORT[app]}"
log "app: nginx on 127.0.0.1:${PORT[app]}"
start_process app "$RUN_DIR/app.stdout.log" nginx -p "$RUN_DIR" -c "$RUN_DIR/nginx-app.conf" -e "$RUN_DIR/app-error.log"
APP_URL=http://127.0.0.1:${PORT[app]}
wait_ready app "$APP_URL$GET_PATH"
CPU_PIDS[app]=$(nginx_workers "${PID[app]}")

declare -A IDLE_RSS
for target in $TARGETS; do
    case $target in
        app) continue ;;
        yarp)
            free_port 'PORT[yarp]'
            log "yarp: BareYarp on 127.0.0.1:${PORT[yarp]}"
            start_process yarp "$RUN_DIR/yarp.stdout.log" "${DOTNET_ENV[@]}" "$BARE_YARP" --listen "127.0.0.1:${PORT[yarp]}" --upstream "$APP_URL"
            ;;
        node-off | node-block)
            admin_port=
            free_port "PORT[$target]"
            free_port admin_port
            log "$target: palisade node --mode ${target#node-} on 127.0.0.1:${PORT[$target]}"
            # Attack events (stdout) are discarded; operational logs (stderr) are kept for failures.
            start_process "$target" /dev/null "${DOTNET_ENV[@]}" "$PALISADE" node \
                --listen "127.0.0.1:${PORT[$target]}" --admin-listen "127.0.0.1:$admin_port" --management-listen 127.0.0.1:0 \
                --upstream "$APP_URL" --mode "${target#node-}" --log-level warning --drain-timeout 1s
            ;;
        modsec)
            free_port 'PORT[modsec]'
            mkdir -p "$RUN_DIR/modsec-tmp"
            chmod 1777 "$RUN_DIR/modsec-tmp"
            render nginx-modsec.conf "${PORT[modsec]}" "${PORT[app]}"
            render modsecurity.conf
            log "modsec: nginx + ModSecurity + CRS on 127.0.0.1:${PORT[modsec]}"
            start_process modsec "$RUN_DIR/modsec.stdout.log" nginx -p "$RUN_DIR" -c "$RUN_DIR/nginx-modsec.conf" -e "$RUN_DIR/modsec-error.log"
            ;;
    esac
    wait_ready "$target" "http://127.0.0.1:${PORT[$target]}$GET_PATH"
    case $target in
        modsec) CPU_PIDS[$target]=$(nginx_workers "${PID[$target]}") ;;
        *)
            CPU_PIDS[$target]=${PID[$target]}
            IDLE_RSS[$target]=$(status_kib "${PID[$target]}" VmRSS)
            ;;
    esac
done

# ---------------------------------------------------------------------------------------------------------
# Functional checks: every target passes the benign GET and POST; ModSecurity blocks the SQLi probe.

SQLI_STATUS_NODE_BLOCK=n/a
for target in app $TARGETS; do
    base=http://127.0.0.1:${PORT[$target]}
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "${CURL_HEADERS[@]}" "$base$GET_PATH")
    [[ $code == 200 ]] || die "$target: benign GET answered $code, expected 200"
    response=$(curl -s -w ' %{http_code}' --max-time 5 "${CURL_HEADERS[@]}" -H 'Content-Type: application/json' \
        --data-binary "@$SCRIPT_DIR/body-1k.json" "$base$POST_PATH")
    [[ $response == *'"accepted"'*' 200' ]] || die "$target: benign JSON POST answered '$response', expected 200 from the app"
    sqli=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "${CURL_HEADERS[@]}" "$base$SQLI_PATH")
    case $target in
        modsec) [[ $sqli == 403 ]] || die "modsec: SQLi probe answered $sqli, expected 403 (is SecRuleEngine On?)" ;;
        node-block) SQLI_STATUS_NODE_BLOCK=$sqli ;;
    esac
done
log "checks passed: benign GET and POST answered 200 everywhere; modsec blocks the SQLi probe (403); node-block answered $SQLI_STATUS_NODE_BLOCK to it"

# ---------------------------------------------------------------------------------------------------------
# Measurements

declare -A RPS P50 P99 CPU NOISE PRIMED

# Busy clock ticks of core $1 so far: user + nice + system + steal (interrupt time is left out: much of it is
# the benchmark's own network traffic, charged to no process).
core_busy_ticks() {
    awk -v cpu="cpu$1" '$1 == cpu { print $2 + $3 + $4 + $9 }' /proc/stat
}

# Runs wrk once against target $1 ($2 = GET|POST, $3 connections, $4 seconds) and prints "key=value ..." with
# wrk's results and, taken right around the run, the CPU ticks of the process under test (target_ticks), of
# every server of this script (servers_ticks), of wrk itself (wrk_ticks) and of both cores (*_busy). Dies on
# any non-2xx response or socket error.
run_wrk() {
    local target=$1 kind=$2 connections=$3 seconds=$4 script output result
    local target0 servers0 server_busy0 load_busy0 ticks children
    script=$SCRIPT_DIR/$(tr '[:upper:]' '[:lower:]' <<<"$kind").lua
    # shellcheck disable=SC2086 # the pid lists are word lists
    target0=$(cpu_ticks ${CPU_PIDS[$target]})
    # shellcheck disable=SC2086
    servers0=$(cpu_ticks $ALL_SERVER_PIDS)
    server_busy0=$(core_busy_ticks "$SERVER_CPU")
    load_busy0=$(core_busy_ticks "$LOAD_CPU")
    output=$(taskset -c "$LOAD_CPU" wrk -t1 -c"$connections" -d"${seconds}s" --latency --timeout 30s \
        -s "$script" "http://127.0.0.1:${PORT[$target]}") || die "wrk failed against $target: $output"
    # shellcheck disable=SC2086
    ticks="target_ticks=$(($(cpu_ticks ${CPU_PIDS[$target]}) - target0))"
    # shellcheck disable=SC2086
    ticks+=" servers_ticks=$(($(cpu_ticks $ALL_SERVER_PIDS) - servers0))"
    ticks+=" server_busy=$(($(core_busy_ticks "$SERVER_CPU") - server_busy0))"
    ticks+=" load_busy=$(($(core_busy_ticks "$LOAD_CPU") - load_busy0))"
    # The CPU time of this shell's finished children: wrk (and a few awk), from the `times` builtin (run in this
    # shell, not in a pipeline's subshell, which would have no children).
    times >"$RUN_DIR/times"
    children=$(tail -n 1 "$RUN_DIR/times")
    result=$(grep '^WRK_RESULT ' <<<"$output") || die "no result line from wrk against $target: $output"
    result=${result#WRK_RESULT }
    if [[ ! $result =~ err_connect=0\ err_read=0\ err_write=0\ err_status=0\ err_timeout=0 ]]; then
        printf '%s\n' "$output" >&2
        tail -n 20 "$RUN_DIR/$target.stderr.log" "$RUN_DIR/$target-error.log" 2>/dev/null >&2 || true
        die "$target returned errors under load ($kind, $connections connections): $result"
    fi
    echo "$result $ticks wrk_ticks=$(awk -v t="$children" -v hz="$CLK_TCK" 'BEGIN {
        split(t, parts, " "); total = 0
        for (i in parts) { split(parts[i], ms, /[ms]/); total += ms[1] * 60 + ms[2] }
        printf "%d", total * hz }')"
}

field() { # field KEY "key=value ..."
    local pair
    for pair in $2; do
        [[ $pair == "$1="* ]] && { echo "${pair#*=}"; return; }
    done
    die "field $1 missing in '$2'"
}

# .NET targets are primed before anything is measured: until tiered compilation (with dynamic PGO) has
# replaced the ReadyToRun and tier-0 code of the hot paths, a request costs two to three times its steady-state
# CPU. Alternates 2 s GET and POST loads at 16 connections until, for both, the CPU per request of the last
# chunk is within 10 % of the chunk before (after at least PRIME_MIN seconds; at most PRIME_MAX seconds).
prime_target() {
    local target=$1 started=$SECONDS kind result cpu settled
    declare -A last=()
    while ((SECONDS - started < PRIME_MAX)); do
        settled=1
        for kind in GET POST; do
            result=$(run_wrk "$target" "$kind" 16 2)
            cpu=$(awk -v t="$(field target_ticks "$result")" -v r="$(field requests "$result")" 'BEGIN { printf "%.6f", t / r }')
            if [[ -z ${last[$kind]:-} ]] || ! awk -v a="$cpu" -v b="${last[$kind]}" 'BEGIN { exit !(a <= b * 1.1 && a >= b * 0.9) }'; then
                settled=0
            fi
            last[$kind]=$cpu
        done
        if ((settled && SECONDS - started >= PRIME_MIN)); then
            PRIMED[$target]="$((SECONDS - started)) s"
            log "$target: CPU per request steady after ${PRIMED[$target]} of priming"
            return
        fi
    done
    PRIMED[$target]="not steady after $((SECONDS - started)) s"
    log "WARNING: $target: CPU per request still changing after ${PRIME_MAX} s of priming"
}

# Every process of every server (nginx: master and workers), to tell their CPU use from everyone else's.
ALL_SERVER_PIDS="${PID[app]} ${CPU_PIDS[app]}"
for target in $TARGETS; do
    case $target in
        app) ;;
        modsec) ALL_SERVER_PIDS+=" ${PID[$target]} ${CPU_PIDS[$target]}" ;;
        *) ALL_SERVER_PIDS+=" ${PID[$target]}" ;;
    esac
done

for target in $TARGETS; do
    case $target in yarp | node-off | node-block) prime_target "$target" ;; esac
done

runs=0
for kind in GET POST; do
    for connections in $CONNECTIONS; do
        for target in $TARGETS; do
            runs=$((runs + 1))
        done
    done
done
log "measuring: $runs runs of ${WARMUP} s warm-up + ${DURATION} s (connections: $CONNECTIONS)"

for kind in GET POST; do
    for connections in $CONNECTIONS; do
        for target in $TARGETS; do
            run_wrk "$target" "$kind" "$connections" "$WARMUP" >/dev/null
            result=$(run_wrk "$target" "$kind" "$connections" "$DURATION")
            key=$kind,$connections,$target
            requests=$(field requests "$result")
            duration_us=$(field duration_us "$result")
            RPS[$key]=$(awk -v r="$requests" -v d="$duration_us" 'BEGIN { printf "%.0f", r / (d / 1e6) }')
            P50[$key]=$(awk -v v="$(field p50_us "$result")" 'BEGIN { printf "%.3f", v / 1000 }')
            P99[$key]=$(awk -v v="$(field p99_us "$result")" 'BEGIN { printf "%.3f", v / 1000 }')
            CPU[$key]=$(awk -v t="$(field target_ticks "$result")" -v hz="$CLK_TCK" -v r="$requests" \
                'BEGIN { printf "%.1f", t / hz * 1e6 / r }')
            # Share of each core taken by other processes during the run (clamped at 0: tick rounding).
            NOISE[$key]=$(awk -v d="$duration_us" -v hz="$CLK_TCK" \
                -v sb="$(field server_busy "$result")" -v st="$(field servers_ticks "$result")" \
                -v lb="$(field load_busy "$result")" -v wt="$(field wrk_ticks "$result")" 'BEGIN {
                    ticks = d / 1e6 * hz; s = (sb - st) / ticks * 100; l = (lb - wt) / ticks * 100
                    printf "%.0f/%.0f", (s > 0 ? s : 0), (l > 0 ? l : 0) }')
            log "$(printf '%-4s c=%-3s %-10s %8s req/s  p50 %7s ms  p99 %7s ms  %6s CPU us/req  noise %s %%' \
                "$kind" "$connections" "$target" "${RPS[$key]}" "${P50[$key]}" "${P99[$key]}" "${CPU[$key]}" "${NOISE[$key]}")"
        done
    done
done

declare -A PEAK_RSS
for target in $TARGETS; do
    [[ -n ${IDLE_RSS[$target]:-} ]] && PEAK_RSS[$target]=$(status_kib "${PID[$target]}" VmHWM)
done

# ---------------------------------------------------------------------------------------------------------
# Report

has_target() { [[ " $TARGETS " == *" $1 "* ]]; }

# verdict VALUE OP LIMIT -> "PASS" or "FAIL"
verdict() {
    awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN { ok = (op == ">=") ? (v >= l) : (v <= l); print ok ? "PASS" : "FAIL" }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
delta() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%+.1f", a - b }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

report() {
    local commit dirty cpu_model kind connections target key
    commit=$(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)
    dirty=""
    if git -C "$REPO_ROOT" status --porcelain --untracked-files=no 2>/dev/null | grep -q .; then
        dirty=" (uncommitted changes)"
    fi
    cpu_model=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)

    echo "# Palisade load benchmark"
    echo
    echo "- Date: $(date -u +%Y-%m-%dT%H:%M:%SZ); commit \`$commit\`$dirty"
    echo "- Machine: $(nproc) cores ($cpu_model), $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r)"
    echo "- Tools: .NET SDK $(dotnet --version), $(nginx -v 2>&1 | sed 's/^nginx version: //'), wrk $(dpkg-query -W -f '${Version}' wrk 2>/dev/null || echo '?'), ModSecurity $(dpkg-query -W -f '${Version}' libmodsecurity3 2>/dev/null || echo '?'), CRS $(dpkg-query -W -f '${Version}' modsecurity-crs 2>/dev/null || echo '?') (PL1, blocking)"
    echo "- Node: \`$PALISADE\` ($NODE_BUILD build$([[ -n ${PALISADE_BIN:-} ]] && echo ', PALISADE_BIN')); bare YARP: JIT (tiered, dynamic PGO)"
    echo "- wrk on core $LOAD_CPU (1 thread); every server on core $SERVER_CPU; ${WARMUP} s warm-up + ${DURATION} s measured per row; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "- GET: \`$GET_PATH\` with 5 browser-like headers and a cookie; POST: \`$POST_PATH\`, 1 KiB JSON (\`bench/load/body-1k.json\`)"
    echo "- node-block answered **$SQLI_STATUS_NODE_BLOCK** to the SQLi probe \`$SQLI_PATH\` (403 = the build has detectors; 200 = it has none, so block-mode numbers exclude detector cost); modsec answered 403"
    local primed="" target_name
    for target_name in $TARGETS; do
        [[ -n ${PRIMED[$target_name]:-} ]] && primed+="${primed:+, }$target_name ${PRIMED[$target_name]}"
    done
    echo "- .NET runtime: $([[ $RUNTIME_DEFAULTS == 1 ]] && echo 'default settings' || echo 'DOTNET_TC_CallCountingDelayMs=0 (reaches the steady state sooner; see run.sh)'); primed until CPU/request was steady: ${primed:-none}"
    echo "- CPU µs/req: utime+stime of the process under test (app: the nginx worker; modsec: its nginx worker) over the measured run / requests completed"
    echo "- Other load: CPU time on each benchmark core that neither the servers nor wrk used, as % of the run (0 on an idle machine)"
    echo
    echo "## Results"
    echo
    echo "| request | conns | target | req/s | p50 ms | p99 ms | CPU µs/req | other load % (server/wrk core) |"
    echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |"
    local noisy=0 mark
    for kind in GET POST; do
        for connections in $CONNECTIONS; do
            for target in $TARGETS; do
                key=$kind,$connections,$target
                mark=""
                if awk -v n="${NOISE[$key]}" 'BEGIN { split(n, p, "/"); exit !(p[1] > 10 || p[2] > 10) }'; then
                    mark=" ⚠"
                    noisy=1
                fi
                echo "| $kind | $connections | $target | ${RPS[$key]} | ${P50[$key]} | ${P99[$key]} | ${CPU[$key]} | ${NOISE[$key]}$mark |"
            done
        done
    done
    echo
    if ((noisy)); then
        echo "⚠ Other processes took more than 10 % of a benchmark core during these rows: their req/s and latency"
        echo "are understated (CPU µs/req much less so). Re-run on an otherwise idle machine before quoting them."
        echo
    fi

    if has_target node-block && has_target yarp; then
        echo "## Ratios and targets"
        echo
        echo "| request | conns | node-block / yarp req/s | node-block − yarp CPU µs/req | node-off / yarp req/s | node-off − yarp CPU µs/req | node-block / modsec req/s |"
        echo "| --- | ---: | --- | --- | --- | --- | --- |"
        local rps_target cpu_target b y o m r d col_rps col_cpu col_off_rps col_off_cpu col_modsec
        for kind in GET POST; do
            if [[ $kind == GET ]]; then rps_target=0.85 cpu_target=15; else rps_target=0.75 cpu_target=30; fi
            for connections in $CONNECTIONS; do
                b=$kind,$connections,node-block y=$kind,$connections,yarp o=$kind,$connections,node-off m=$kind,$connections,modsec
                r=$(ratio "${RPS[$b]}" "${RPS[$y]}")
                d=$(delta "${CPU[$b]}" "${CPU[$y]}")
                col_rps="$r (≥ $rps_target $(verdict "$r" '>=' "$rps_target"))"
                col_cpu="$d (≤ +$cpu_target $(verdict "$d" '<=' "$cpu_target"))"
                col_off_rps=n/a col_off_cpu=n/a col_modsec=n/a
                if has_target node-off; then
                    col_off_rps=$(ratio "${RPS[$o]}" "${RPS[$y]}")
                    col_off_cpu=$(delta "${CPU[$o]}" "${CPU[$y]}")
                fi
                if has_target modsec; then
                    r=$(ratio "${RPS[$b]}" "${RPS[$m]}")
                    col_modsec="$r× (≥ 25× $(verdict "$r" '>=' 25))"
                fi
                echo "| $kind | $connections | $col_rps | $col_cpu | $col_off_rps | $col_off_cpu | $col_modsec |"
            done
        done
        echo
        echo "The targets are about throughput and cost at saturation: judge them on the 16- and 64-connection rows."
        echo "At 1 connection the server core is mostly idle, and CPU per request includes each runtime's cost of"
        echo "waking up and spinning between requests, which varies widely from run to run."
        echo
    fi

    if ((${#IDLE_RSS[@]} > 0)); then
        echo "## Memory"
        echo
        echo "| target | idle RSS MiB (after start + 1 request) | peak RSS MiB (VmHWM after all runs) |"
        echo "| --- | ---: | ---: |"
        for target in $TARGETS; do
            [[ -n ${IDLE_RSS[$target]:-} ]] || continue
            echo "| $target | $(mib "${IDLE_RSS[$target]}") | $(mib "${PEAK_RSS[$target]}") |"
        done
        echo
    fi
}

mkdir -p "$RESULTS_DIR"
report_file=$RUN_DIR/report.md
report >"$report_file"
cp "$report_file" "$RESULTS_DIR/latest.md"
cp "$report_file" "$RESULTS_DIR/$(date -u +%Y%m%dT%H%M%SZ).md"
echo
cat "$report_file"
log "table written to $RESULTS_DIR/latest.md"
