-- Shared by get.lua and post.lua (loaded with dofile): the headers every benchmark request carries, and a
-- done() hook that prints one machine-readable line, which run.sh parses instead of wrk's human summary.
--
-- The request is fixed for the whole run (no request() function), so wrk builds it once and sends the same
-- bytes on every connection: the load generator costs as little as wrk can make it.

-- A browser-like request to a named host: a numeric Host would cost ModSecurity/CRS a warning (920350).
wrk.headers["Host"] = "shop.example"
wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
wrk.headers["Accept"] = "application/json, text/plain, */*"
wrk.headers["Accept-Language"] = "en-US,en;q=0.5"
wrk.headers["Cookie"] = "session=8f3c1e9a4b7d2f60a1c5e8b3d9f7a2c4; theme=dark"

function done(summary, latency, requests)
    local e = summary.errors
    io.write(string.format(
        "WRK_RESULT requests=%d duration_us=%d bytes=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
        "err_connect=%d err_read=%d err_write=%d err_status=%d err_timeout=%d\n",
        summary.requests, summary.duration, summary.bytes,
        latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max,
        e.connect, e.read, e.write, e.status, e.timeout))
end
