-- wrk script: a 1 KiB JSON POST (an order with nested objects and arrays; the "POST" rows of run.sh).
-- The body is body-1k.json beside this file, so curl's checks in run.sh send exactly the same bytes.
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "common.lua")

local file = assert(io.open(dir .. "body-1k.json", "rb"))
local body = file:read("*a")
file:close()

wrk.method = "POST"
wrk.path = "/api/orders"
wrk.body = body
wrk.headers["Content-Type"] = "application/json"
