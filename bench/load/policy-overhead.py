#!/usr/bin/env python3
"""Writes the policy the operations issue measures the node with: 3 routes, 20 exclusions, 10,000 CIDRs in the IP
lists and 2 rate limits (limits far above what a benchmark sends, so every request is counted and none refused).

Usage: bench/load/policy-overhead.py FILE

Then compare the node with and without it, interleaved (bench/load/compare.sh):

    bench/load/compare.sh \
      "none=artifacts/native/palisade node --listen 127.0.0.1:@PORT@ --admin-listen 127.0.0.1:@ADMIN@ --management-listen 127.0.0.1:0 --upstream @APP@ --mode block --log-level warning" \
      "policy=artifacts/native/palisade node --config FILE --listen 127.0.0.1:@PORT@ --admin-listen 127.0.0.1:@ADMIN@ --management-listen 127.0.0.1:0 --upstream @APP@ --mode block --log-level warning"
"""
import ipaddress
import random
import sys

random.seed(20261128)
lines = ["mode: block", "routes:"]
for name, path in (("api", "/api/"), ("shop", "/shop"), ("admin", "/admin")):
    lines += [f"  - name: {name}", f"    path: {path}"]
lines.append("exclusions:")
points = ["body.json.comment", "body.json.items.*.note", "query.q", "query.search", "header.x-trace", "cookie.prefs",
          "body.form.message", "body.json.description", "query.*", "body.json.**.html"]
for i in range(20):
    route = ("api", "shop", "admin")[i % 3]
    lines += [f"  - name: exclusion-{i}", f"    route: {route}", f"    point: '{points[i % len(points)]}'",
              f"    detectors: [{('xss', 'sqli', 'rce')[i % 3]}]"]

# 10,000 networks, none covering loopback (the benchmark's client): /16 to /32 in public and private space.
networks = set()
while len(networks) < 10_000:
    prefix = random.choice((16, 20, 24, 24, 28, 32, 32))
    address = ipaddress.IPv4Address(random.randrange(1 << 24, 0xDF000000))
    network = ipaddress.IPv4Network(f"{address}/{prefix}", strict=False)
    if not network.overlaps(ipaddress.IPv4Network("127.0.0.0/8")):
        networks.add(str(network))
networks = sorted(networks)
lines.append("ip-lists:")
for name, part in (("deny", networks[:5000]), ("gray", networks[5000:9000]), ("allow", networks[9000:])):
    lines.append(f"  {name}:")
    lines += [f"    - {n}" for n in part]

lines += ["rate-limits:",
          "  - name: per-client", "    key: ip", "    limit: 100000000", "    window: 1m",
          "  - name: per-client-api", "    path: /api/", "    key: header:content-type", "    limit: 100000000", "    window: 1m"]

with open(sys.argv[1], "w", encoding="utf-8") as out:
    out.write("\n".join(lines) + "\n")
