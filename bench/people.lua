-- wrk script: each connection is one person (run with as many threads as connections, so a
-- thread is a connection and its requests and responses strictly alternate).
--
-- bench/run.py writes the data file named by the BENCH_PEOPLE environment variable:
--   catalogue = {"/", "/tracks/", ...}              every catalogue page
--   readers   = {{session, result_id, older_id}, …} signed-in members and two of their audits
--   walkers   = {{session, csrf_secret}, …}          members who take an audit
--   (no list)                                         visitors who take an audit: each walk a new
--                                                     browser, from an address of its own
--   answers   = {{"body of step 0", …, "body of step 5"}, …}  urlencoded, from tests/answers.py
--   steppers  = {{cookie, path, body}, …}            members saving a step of their own draft
--   fixed     = "/healthz"                          the one path of a "fixed" connection
--   mix       = {"visitor", "reader", "walker", "visitor_walker", …}
--                                                     who connection n is: mix[(n - 1) % #mix + 1]
--   connections = how many connections (and threads) wrk runs
--   only      = nil, or "reader:history" etc. to make every request of one kind (single rows)
--   revalidate = false for first views: no visitor sends If-None-Match
--   needs_response = true when visitors keep ETags or walkers read tokens (costs wrk some CPU)
-- A visitor opens catalogue pages at random, and every second visitor revalidates a page seen
-- before with If-None-Match. A reader opens a history, a result or a comparison, each request
-- as a different member. A walker starts an audit, saves its six steps with the CSRF token of
-- each page, reads the result, and starts again as the next member of its share. A visitor who
-- walks does the same without an account: the session cookie the start sets carries the audit,
-- and each walk is a new browser (no cookies but a CSRF one) with its own X-Forwarded-For address,
-- as a load balancer in front of nginx would send it (bench/run.py sets DJANGO_PROXY_COUNT=2).
-- Every request asks for compressed answers, as browsers do, so nginx gzips pages as it would
-- for people; only a walker's step forms come plain, because the script reads their CSRF token.

local people = dofile(os.getenv("BENCH_PEOPLE"))
local BROWSER_ENCODINGS = "gzip, deflate, br"
local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("number", counter)
  table.insert(threads, thread)
end

-- Per thread, read back in done(): walks finished (and of those, by visitors), walks broken off,
-- 304s to revalidations.
walks, visitor_walks, broken, not_modified = 0, 0, 0, 0

local role, etags, revalidate, walker_index, walker, walk
local reader_next, last_request, expect_body

local function cookie_for(session, csrf)
  local parts = {}
  if session then table.insert(parts, "sessionid=" .. session) end
  if csrf then table.insert(parts, "csrftoken=" .. csrf) end
  return table.concat(parts, "; ")
end

local function csrf_secret()  -- 32 letters and digits, as Django's own CSRF cookie
  local hex = {}
  for i = 1, 32 do hex[i] = string.format("%x", math.random(0, 15)) end
  return table.concat(hex)
end

function init(args)
  math.randomseed(number * 7919 + os.time())
  role = people.mix[(number - 1) % #people.mix + 1]
  etags = {}
  revalidate = people.revalidate ~= false and number % 2 == 0
  reader_next = math.random(math.max(#(people.readers or {}), 1))
  walker_index = number
  walk = nil
end

local function visitor_request()
  local path = people.catalogue[math.random(#people.catalogue)]
  local headers = {["Accept-Encoding"] = BROWSER_ENCODINGS}
  if revalidate and etags[path] then headers["If-None-Match"] = etags[path] end
  last_request = {kind = "visitor", path = path}
  return wrk.format("GET", path, headers)
end

local function reader_request()
  local member = people.readers[reader_next]
  reader_next = reader_next % #people.readers + 1
  local kind = people.only or ({"reader:history", "reader:result", "reader:compare"})[math.random(3)]
  local path
  if kind == "reader:home" then  -- the cheapest signed-in page: the floor the others stand on
    path = "/"
  elseif kind == "reader:history" then
    path = "/audits/"
  elseif kind == "reader:result" then
    path = "/audits/" .. member[2] .. "/result/"
  else
    path = "/audits/compare/?audit=" .. member[3] .. "&audit=" .. member[2]
  end
  last_request = {kind = kind}
  return wrk.format("GET", path,
    {["Cookie"] = cookie_for(member[1]), ["Accept-Encoding"] = BROWSER_ENCODINGS})
end

-- A walk: {stage = "form" | "start" | "page" | "post" | "result", step, path, token}
local function next_walker()
  if role == "visitor_walker" then
    walker_index = walker_index + people.connections
    walker = {nil, csrf_secret()}  -- a new browser: no session until the audit starts
    local n = walker_index
    walk = {
      stage = "form",
      answers = people.answers[n % #people.answers + 1],
      address = string.format("10.%d.%d.%d", number % 250, math.floor(n / 250) % 250, n % 250 + 1),
    }
    return
  end
  local count = #people.walkers
  walker_index = walker_index + people.connections
  if walker_index > count then walker_index = (number - 1) % count + 1 end
  walker = people.walkers[walker_index]
  walk = {stage = "form", answers = people.answers[walker_index % #people.answers + 1]}
end

local function walker_request()
  if walk == nil then next_walker() end
  local headers = {["Cookie"] = cookie_for(walk.session or walker[1], walker[2])}
  if walk.address then headers["X-Forwarded-For"] = walk.address end
  if walk.stage ~= "form" and walk.stage ~= "page" then
    headers["Accept-Encoding"] = BROWSER_ENCODINGS
  end
  last_request = {kind = "walker:" .. walk.stage}
  if walk.stage == "form" then
    return wrk.format("GET", "/audits/new/", headers)
  elseif walk.stage == "start" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    return wrk.format("POST", "/audits/new/", headers, "csrfmiddlewaretoken=" .. walk.token)
  elseif walk.stage == "post" then
    headers["Content-Type"] = "application/x-www-form-urlencoded"
    local body = "csrfmiddlewaretoken=" .. walk.token .. "&" .. walk.answers[walk.step + 1]
    return wrk.format("POST", walk.path, headers, body)
  else  -- "page" (a step's form) or "result"
    return wrk.format("GET", walk.path, headers)
  end
end

function request()
  if role == "fixed" then
    return wrk.format("GET", people.fixed, {["Accept-Encoding"] = BROWSER_ENCODINGS})
  end
  if role == "stepper" then
    local s = people.steppers[(number - 1) % #people.steppers + 1]
    return wrk.format("POST", s[2], {["Cookie"] = s[1], ["Accept-Encoding"] = BROWSER_ENCODINGS,
      ["Content-Type"] = "application/x-www-form-urlencoded"}, s[3])
  end
  if role == "visitor" then return visitor_request() end
  if role == "reader" then return reader_request() end
  return walker_request()
end

local function token_in(body)
  return body and string.match(body, 'name="csrfmiddlewaretoken" value="([^"]+)"')
end

local function walker_response(status, headers, body)
  local location = headers["Location"] or headers["location"]
  if walk.stage == "form" then
    walk.token = token_in(body)
    if walk.token then walk.stage = "start" else broken = broken + 1; walk = nil end
  elseif walk.stage == "start" then
    if walk.address then  -- a visitor: the audit is theirs by the session cookie just set
      local cookie = headers["Set-Cookie"] or headers["set-cookie"] or ""
      walk.session = string.match(cookie, "sessionid=([^;]+)")
    end
    if status == 302 and location and (walker[1] or walk.session) then
      walk.path, walk.step, walk.stage = location, 0, "page"
    else
      broken = broken + 1
      walk = nil
    end
  elseif walk.stage == "page" then
    walk.token = token_in(body)
    if walk.token then walk.stage = "post" else broken = broken + 1; walk = nil end
  elseif walk.stage == "post" then
    if status == 302 and location then
      if walk.step == 5 then
        walk.path, walk.stage = location, "result"
      else
        walk.path, walk.step, walk.stage = location, walk.step + 1, "page"
      end
    else
      broken = broken + 1
      walk = nil
    end
  else  -- the result was read: the next member
    if status == 200 then
      walks = walks + 1
      if walk.address then visitor_walks = visitor_walks + 1 end
    else
      broken = broken + 1
    end
    next_walker()
  end
end

local function on_response(status, headers, body)
  if role == "visitor" and revalidate then
    if status == 304 then not_modified = not_modified + 1 end
    local etag = headers["ETag"] or headers["Etag"] or headers["etag"]
    if etag then etags[last_request.path] = etag end
  elseif (role == "walker" or role == "visitor_walker") and walk then
    walker_response(status, headers, body)
  end
end

-- wrk hands every response to Lua only when `response` exists: only where a person reads them.
if people.needs_response then response = on_response end

function done(summary, latency, requests)
  local e = summary.errors
  local total = {walks = 0, visitor_walks = 0, broken = 0, not_modified = 0}
  for _, thread in ipairs(threads) do
    for name in pairs(total) do total[name] = total[name] + (thread:get(name) or 0) end
  end
  io.write(string.format(
    "BENCHJSON {\"requests\":%d,\"duration_us\":%d,\"connect\":%d,\"read\":%d,\"write\":%d," ..
    "\"status\":%d,\"timeout\":%d,\"p50\":%d,\"p95\":%d,\"p99\":%d,\"max\":%d," ..
    "\"walks\":%d,\"visitor_walks\":%d,\"broken\":%d,\"not_modified\":%d}\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    total.walks, total.visitor_walks, total.broken, total.not_modified))
end
