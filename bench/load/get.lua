-- wrk script: a small GET with a query string (the "GET" rows of run.sh).
local dir = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(dir .. "common.lua")

wrk.method = "GET"
wrk.path = "/shop/products?category=books&sort=price&page=2"
