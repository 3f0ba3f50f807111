# Sourced by the benchmark scripts (bench/load/run.sh, bench/peers/run.sh); needs `die` defined by the caller.

declare -A USED_PORTS

# Sets the variable named $1 to a free TCP port below the ephemeral range (so no outgoing connection of the
# benchmark can be handed the same port), not used by any socket and not yet given out by this script.
# shellcheck disable=SC2034 # `out` is a nameref: assigning it sets the caller's variable
free_port() {
    local -n out=$1
    local low attempt candidate
    read -r low _ </proc/sys/net/ipv4/ip_local_port_range
    for ((attempt = 0; attempt < 500; attempt++)); do
        candidate=$((10000 + RANDOM % (low - 10000)))
        [[ -z ${USED_PORTS[$candidate]:-} ]] || continue
        if [[ -z $(ss -Htan "( sport = :$candidate )") ]]; then
            USED_PORTS[$candidate]=1
            out=$candidate
            return
        fi
    done
    die "no free TCP port found"
}
