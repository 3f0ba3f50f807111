#!/usr/bin/env bash
# Detection side by side: the labelled corpus through NGINX + ModSecurity v3 + OWASP CRS (paranoia level 1,
# then 2; blocking; default anomaly thresholds) and through Palisade's engine (`palisade eval`).
#
# Usage:  bench/peers/run.sh                (from any directory; root only to apt-get install missing packages)
#
# Environment (all optional):
#   PALISADE_CORPUS=DIR        the corpus (default: ../shared/corpus relative to the repository root)
#   PARANOIA_LEVELS="1 2"      CRS paranoia levels to run
#   CONNECTIONS=4              parallel keep-alive connections of the replay
#   SKIP_BUILD=1               use the existing Release builds of palisade and bench/Peers.Replay
#   KEEP_LOGS=1                keep the temporary directory (nginx error logs, ModSecurity audit logs)
#   ENFORCE_URLENCODED=1       also set CRS's optional tx.enforce_bodyproc_urlencoded=1 (off by default): bodies
#                              without a Content-Type are then parsed as form data (most CRS tests send none)
#
# What it does, all on loopback ports picked free, in a temporary directory:
#   - app: nginx answering 200 to everything (bench/load/nginx-app.conf), the upstream;
#   - for each paranoia level: nginx + ModSecurity + CRS in front of it (bench/load/nginx-modsec.conf and
#     bench/load/modsecurity.conf, with the paranoia level set and the audit log reduced to headers and rule
#     messages), every corpus request replayed as recorded by bench/Peers.Replay (raw HTTP/1.1: method,
#     path?query, headers, body, Content-Length from the UTF-8 body, plus an X-Replay-Id header), the status
#     recorded (403 = flagged) and the matched rule ids read back from the audit log by X-Replay-Id;
#   - `palisade eval --json` over the same files;
#   - the table: TPR per attack category, FPR per benign file, balanced score ((TPR + TNR) / 2), also with
#     CRS's blocks by its content-type policy rule 920420 alone left out. Printed and written to
#     bench/peers/results/latest.md. See docs/peers.md.

set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
LOAD_DIR=$REPO_ROOT/bench/load
RESULTS_DIR=$SCRIPT_DIR/results
CORPUS=${PALISADE_CORPUS:-$REPO_ROOT/../shared/corpus}
PARANOIA_LEVELS=${PARANOIA_LEVELS:-"1 2"}
CONNECTIONS=${CONNECTIONS:-4}
SKIP_BUILD=${SKIP_BUILD:-0}
KEEP_LOGS=${KEEP_LOGS:-0}
ENFORCE_URLENCODED=${ENFORCE_URLENCODED:-0}

PALISADE=$REPO_ROOT/src/Palisade/bin/Release/net10.0/palisade
REPLAY=$REPO_ROOT/bench/Peers.Replay/bin/Release/net10.0/Peers.Replay
MODSEC_MODULE=/usr/lib/nginx/modules/ngx_http_modsecurity_module.so
CRS_RULES=/usr/share/modsecurity-crs/rules

log() { printf '[peers %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[peers] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------------------------------------------------
# Preconditions and build

if [[ ! -f $MODSEC_MODULE || ! -d $CRS_RULES ]] || ! command -v nginx >/dev/null; then
    [[ $(id -u) == 0 ]] || die "nginx, libnginx-mod-http-modsecurity and modsecurity-crs are required (apt-get install them as root)"
    log "installing nginx, libnginx-mod-http-modsecurity, modsecurity-crs"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q nginx libnginx-mod-http-modsecurity modsecurity-crs >&2
fi
for tool in dotnet nginx curl ss; do
    command -v "$tool" >/dev/null || die "'$tool' is required"
done
[[ -d $CORPUS/attacks && -d $CORPUS/benign ]] || die "corpus not found at $CORPUS (set PALISADE_CORPUS)"
CORPUS_FILES=("$CORPUS"/attacks/*.jsonl "$CORPUS"/benign/*.jsonl)
CRS_VERSION=$(dpkg-query -W -f '${Version}' modsecurity-crs 2>/dev/null || echo unknown)
MODSEC_VERSION=$(dpkg-query -W -f '${Version}' libmodsecurity3 2>/dev/null || echo unknown)

if [[ $SKIP_BUILD != 1 ]]; then
    log "building palisade and Peers.Replay (Release)"
    dotnet build "$REPO_ROOT/src/Palisade/Palisade.csproj" -c Release --nologo -v quiet --disable-build-servers -p:UseSharedCompilation=false >&2
    dotnet build "$REPO_ROOT/bench/Peers.Replay/Peers.Replay.csproj" -c Release --nologo -v quiet --disable-build-servers -p:UseSharedCompilation=false >&2
fi
[[ -x $PALISADE ]] || die "$PALISADE not found (build failed, or SKIP_BUILD=1 without a build)"
[[ -x $REPLAY ]] || die "$REPLAY not found (build failed, or SKIP_BUILD=1 without a build)"
"$REPLAY" self-test || die "Peers.Replay self-test failed"

# ---------------------------------------------------------------------------------------------------------
# Processes and clean-up

RUN_DIR=$(mktemp -d -t palisade-peers.XXXXXX)
# nginx workers run as an unprivileged user when the script runs as root: let them in.
chmod 755 "$RUN_DIR"
STARTED_PIDS=()

stop_pid() {
    local pid=$1 waited
    kill -TERM "$pid" 2>/dev/null || true
    for ((waited = 0; waited < 50; waited++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "pid $pid did not stop on SIGTERM; killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

cleanup() {
    local status=$? pid
    trap - EXIT INT TERM
    for pid in "${STARTED_PIDS[@]}"; do
        stop_pid "$pid"
    done
    if [[ $KEEP_LOGS == 1 ]]; then
        log "logs kept in $RUN_DIR"
    else
        rm -rf "$RUN_DIR"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# free_port NAME: sets $NAME to a free loopback port (shared with the other benchmark script).
# shellcheck source=bench/free-port.sh
source "$SCRIPT_DIR/../free-port.sh"

# Copies bench/load/$1 into directory $2 with its placeholders replaced (@RUN_DIR@ = $2, @PORT@, @APP_PORT@).
render() {
    local template=$1 dir=$2 port=${3:-} app_port=${4:-}
    sed -e "s|@RUN_DIR@|$dir|g" -e "s|@PORT@|$port|g" -e "s|@APP_PORT@|$app_port|g" \
        "$LOAD_DIR/$template" >"$dir/$template"
}

# Waits until http://127.0.0.1:$2/ answers 200; $1 is the pid that must stay alive meanwhile, $3 its error log.
wait_ready() {
    local pid=$1 port=$2 error_log=$3 deadline=$((SECONDS + 60)) code=
    while ((SECONDS < deadline)); do
        kill -0 "$pid" 2>/dev/null || { tail -n 20 "$error_log" >&2 || true; die "nginx exited during start-up (log above)"; }
        code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 -H 'User-Agent: Mozilla/5.0' -H 'Accept: */*' \
            "http://127.0.0.1:$port/" || true)
        [[ $code == 200 ]] && return
        sleep 0.1
    done
    die "nginx on port $port did not answer 200 within 60 s (last status: $code)"
}

# ---------------------------------------------------------------------------------------------------------
# The upstream

APP_DIR=$RUN_DIR/app
mkdir -p "$APP_DIR"
APP_PORT=
free_port APP_PORT
render nginx-app.conf "$APP_DIR" "$APP_PORT"
nginx -p "$APP_DIR" -c "$APP_DIR/nginx-app.conf" -e "$APP_DIR/app-error.log" >"$APP_DIR/stdout.log" 2>&1 &
APP_PID=$!
STARTED_PIDS+=("$APP_PID")
wait_ready "$APP_PID" "$APP_PORT" "$APP_DIR/app-error.log"
log "app: nginx on 127.0.0.1:$APP_PORT"

# ---------------------------------------------------------------------------------------------------------
# ModSecurity + CRS, one paranoia level after the other

REPORT_ARGS=()
for level in $PARANOIA_LEVELS; do
    [[ $level =~ ^[1-4]$ ]] || die "paranoia level '$level' is not 1-4"
    dir=$RUN_DIR/pl$level
    mkdir -p "$dir/modsec-tmp"
    chmod 1777 "$dir" "$dir/modsec-tmp"
    port=
    free_port port
    render nginx-modsec.conf "$dir" "$port" "$APP_PORT"
    render modsecurity.conf "$dir"
    # The paranoia level of this run; the audit log keeps the request headers (B, for X-Replay-Id) and the
    # rule messages (H), not the bodies.
    sed -i -e "s|setvar:tx.paranoia_level=1\"|setvar:tx.paranoia_level=$level\"|" \
        -e 's|^SecAuditLogParts .*|SecAuditLogParts ABHZ|' "$dir/modsecurity.conf"
    grep -q "tx.paranoia_level=$level\"" "$dir/modsecurity.conf" || die "could not set the paranoia level in modsecurity.conf"
    name="CRS PL$level"
    if [[ $ENFORCE_URLENCODED == 1 ]]; then
        sed -i '/setvar:tx.paranoia_level=/a SecAction "id:900010,phase:1,nolog,pass,t:none,setvar:tx.enforce_bodyproc_urlencoded=1"' \
            "$dir/modsecurity.conf"
        name="$name, urlencoded bodies enforced"
    fi
    nginx -p "$dir" -c "$dir/nginx-modsec.conf" -e "$dir/modsec-error.log" >"$dir/stdout.log" 2>&1 &
    pid=$!
    STARTED_PIDS+=("$pid")
    wait_ready "$pid" "$port" "$dir/modsec-error.log"
    probe=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H 'User-Agent: Mozilla/5.0' -H 'Accept: */*' \
        "http://127.0.0.1:$port/shop/products?q=%27%20or%201%3D1--" || true)
    [[ $probe == 403 ]] || die "PL$level: the SQLi probe answered $probe, expected 403 (is SecRuleEngine On?)"
    log "$name: nginx + ModSecurity + CRS on 127.0.0.1:$port; replaying ${#CORPUS_FILES[@]} files"
    started=$SECONDS
    "$REPLAY" replay --target "127.0.0.1:$port" --connections "$CONNECTIONS" --out "$dir/status.tsv" "${CORPUS_FILES[@]}"
    log "$name: replay took $((SECONDS - started)) s"
    # Stopping nginx closes the audit log: everything it will ever hold is on disk now.
    stop_pid "$pid"
    REPORT_ARGS+=(--run "$name" "$dir/status.tsv" "$dir/modsec-audit.log")
done

# ---------------------------------------------------------------------------------------------------------
# Palisade over the same files, and the table

log "palisade eval over the same files"
"$PALISADE" eval --json "${CORPUS_FILES[@]}" >"$RUN_DIR/palisade-eval.json"

mkdir -p "$RESULTS_DIR"
{
    echo "# Detection side by side: NGINX + ModSecurity v3 + OWASP CRS vs Palisade"
    echo
    echo "$(date -u '+%Y-%m-%d %H:%M UTC'); Palisade $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo '?');" \
        "libmodsecurity3 $MODSEC_VERSION; modsecurity-crs $CRS_VERSION (blocking, default anomaly thresholds);" \
        "nginx $(nginx -v 2>&1 | sed 's|.*/||'); corpus $CORPUS."
    echo "Flagged = 403 (or a 4xx with ModSecurity rule matches); the percentage is of the row's requests, the count in brackets."
    echo
    "$REPLAY" report "${REPORT_ARGS[@]}" --palisade "Palisade" "$RUN_DIR/palisade-eval.json"
} | tee "$RESULTS_DIR/latest.md.tmp"
mv "$RESULTS_DIR/latest.md.tmp" "$RESULTS_DIR/latest.md"
log "written to $RESULTS_DIR/latest.md"
