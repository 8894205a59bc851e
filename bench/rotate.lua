-- wrk script for bench/run.sh:
--   wrk ... -s bench/rotate.lua URL -- QUERIES PREFIX MODE [WARM_QUERY]
-- MODE cold: each request takes the next line of QUERIES (threads start at
--            different offsets), URL-encoded and appended to PREFIX, plus a
--            unique "&_nc=T.N" so that no response cache can answer it;
--      warm: always WARM_QUERY (default: the first line of QUERIES);
--      uncached: as cold without the dummy argument (an endpoint with
--            no response cache, which may refuse unknown arguments);
--      static: PREFIX as is.
-- done() prints one JSON line (latencies in microseconds).
local counter = 0
local threads = {}

function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

local function urlencode(s)
  return (s:gsub("[^%w%-_%.~]", function(c)
    return string.format("%%%02X", string.byte(c))
  end))
end

local paths = {}
local cold = false
local idx = 1

function init(args)
  local qfile, prefix, mode = args[1], args[2] or "/", args[3] or "cold"
  if mode == "static" then
    paths = { prefix }
  elseif mode == "warm" and args[4] then
    paths = { prefix .. urlencode(args[4]) }
  else
    for line in io.lines(qfile) do
      if #line > 0 then
        table.insert(paths, prefix .. urlencode(line))
        if mode == "warm" then break end
      end
    end
  end
  idx = ((tid or 0) * 997) % #paths + 1
  cold = (mode == "cold")
end

local nreq = 0

function request()
  local p = paths[idx]
  idx = idx % #paths + 1
  if cold then
    -- a unique dummy argument: no response cache can answer a cold request
    nreq = nreq + 1
    p = p .. "&_nc=" .. (tid or 0) .. "." .. nreq
  end
  return wrk.format("GET", p)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"bytes":%d,"rps":%.2f,' ..
    '"p50_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f,' ..
    '"err_connect":%d,"err_read":%d,"err_write":%d,"err_status":%d,' ..
    '"err_timeout":%d}\n',
    summary.requests, summary.duration, summary.bytes,
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50), latency:percentile(99), latency.max, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
end
