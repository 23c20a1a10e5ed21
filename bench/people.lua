-- wrk script for the closed-loop rows: each connection is one person (run with as many threads
-- as connections, so a thread is a connection and its requests and responses alternate).
--
-- bench/run.py writes the data file named by the BENCH_PEOPLE environment variable:
--   catalogue = {"/", "/tracks/", ...}              catalogue pages a visitor opens at random
--   readers   = {{session, result_id, older_id}, …} signed-in members and two of their audits
--   steppers  = {{cookie, path, body}, …}            members saving a step of their own draft
--   fixed     = "/healthz"                           the one path of a "fixed" connection
--   mix       = {"visitor" | "reader" | "stepper" | "fixed"}: who connection n is
--   only      = "reader:history", "reader:result", "reader:compare", "reader:account" or
--               "reader:floor" (bench/urls.py): the page every reader request opens
-- A reader's every request comes from the next member. Every request asks for compressed
-- answers, as browsers do, so nginx gzips pages as it would for people.
-- The realistic mix, at a fixed arrival rate, is bench/mix.py (Locust).

local people = dofile(os.getenv("BENCH_PEOPLE"))
local BROWSER_ENCODINGS = "gzip, deflate, br"
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("number", counter)
end

local role, reader_next

function init(args)
  math.randomseed(number * 7919 + os.time())
  role = people.mix[(number - 1) % #people.mix + 1]
  reader_next = math.random(math.max(#(people.readers or {}), 1))
end

local READER_PATHS = {
  ["reader:history"] = function(member) return "/audits/" end,
  ["reader:result"] = function(member) return "/audits/" .. member[2] .. "/result/" end,
  ["reader:compare"] = function(member)
    return "/audits/compare/?audit=" .. member[3] .. "&audit=" .. member[2]
  end,
  ["reader:account"] = function(member) return "/accounts/" end,
  ["reader:floor"] = function(member) return "/bench/floor/" end,
}

function request()
  local headers = {["Accept-Encoding"] = BROWSER_ENCODINGS}
  if role == "fixed" then
    return wrk.format("GET", people.fixed, headers)
  elseif role == "stepper" then
    local s = people.steppers[(number - 1) % #people.steppers + 1]
    headers["Cookie"] = s[1]
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format("POST", s[2], headers, s[3])
  elseif role == "visitor" then
    return wrk.format("GET", people.catalogue[math.random(#people.catalogue)], headers)
  end
  local member = people.readers[reader_next]
  reader_next = reader_next % #people.readers + 1
  headers["Cookie"] = "sessionid=" .. member[1]
  return wrk.format("GET", READER_PATHS[people.only](member), headers)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCHJSON {\"requests\":%d,\"duration_us\":%d,\"connect\":%d,\"read\":%d,\"write\":%d," ..
    "\"status\":%d,\"timeout\":%d,\"p50\":%d,\"p95\":%d,\"p99\":%d,\"max\":%d}\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
