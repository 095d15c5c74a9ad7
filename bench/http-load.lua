-- The wrk load of bench/serving-http.ts (--generator wrk): the same requests as bench/http-load.ts (autocannon),
-- each with fresh random entity ids, and one JSON line at the end with the figures.
--   wrk -t1 -c50 -d10s --timeout 30s -s bench/http-load.lua URL -- KIND KEY ENTITIES BATCH
-- KIND: hello | single | batch | feast-single | feast-batch; KEY may be '-' (none).

local kind, entities, batch
local headers = { ["Content-Type"] = "application/json" }
local view = '"featureStoreName":"bench","featureViewName":"scoring","featureViewVersion":1'
local features = '"features":["users:age","users:country","users:balance","activity:count_7d","activity:count_30d",'
  .. '"activity:amount_7d","activity:last_merchant","risk:score","risk:flagged","risk:segment"]'

function init(args)
  kind = args[1]
  if args[2] ~= "-" then headers["X-API-KEY"] = args[2] end
  entities = tonumber(args[3])
  batch = tonumber(args[4])
  math.randomseed(os.time() + tonumber(tostring({}):sub(8), 16) % 100000)
end

local function uid()
  return math.random(0, entities - 1)
end

local function ids(separator, wrap)
  local parts = {}
  for i = 1, batch do parts[i] = wrap(uid()) end
  return table.concat(parts, separator)
end

function request()
  if kind == "hello" then return wrk.format("GET") end
  local body
  if kind == "single" then
    body = "{" .. view .. ',"entries":{"uid":' .. uid() .. "}}"
  elseif kind == "batch" then
    body = "{" .. view .. ',"entries":[' .. ids(",", function(u) return '{"uid":' .. u .. "}" end) .. "]}"
  elseif kind == "feast-single" then
    body = "{" .. features .. ',"entities":{"uid":[' .. uid() .. "]}}"
  elseif kind == "feast-batch" then
    body = "{" .. features .. ',"entities":{"uid":[' .. ids(",", tostring) .. "]}}"
  end
  return wrk.format("POST", nil, headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"seconds":%.3f,"errors":%d,"non2xx":%d,"p50":%.3f,"p90":%.3f,"p99":%.3f,"max":%.3f}\n',
    summary.requests, summary.duration / 1e6, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
