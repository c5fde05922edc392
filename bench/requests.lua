-- wrk script of bench/web.py: replays the requests of a file, one per line:
--   METHOD <tab> PATH <tab> COOKIE <tab> BODY (form-encoded, POST only)
-- Arguments (after wrk's "--"): FILE MODE THREADS OK_STATUS [OK_TEXT]
--   MODE "cycle": every thread loops over all lines (GET pages, supports of many needs);
--   MODE "once": the lines are shared out between the threads and each is sent once (one
--   ballot per voter); a thread that has sent its last line stops.
-- A response counts as accepted when its status is OK_STATUS and, if given, its body holds
-- OK_TEXT (the receipt of a ballot); done() prints one RESULT line that bench/web.py reads.

local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *now);
]]
local now_buffer = ffi.new("bench_timespec")

local function now_us()
  ffi.C.clock_gettime(1, now_buffer)  -- CLOCK_MONOTONIC
  return tonumber(now_buffer.tv_sec) * 1000000 + tonumber(now_buffer.tv_nsec) / 1000
end

threads = {}
ok = 0
refused = 0
-- First request sent and last response read by this thread (microseconds, monotonic): a
-- "once" run may end before wrk's duration, so the rate is measured over this span.
first_us = 0
last_us = 0

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

local function split(line)
  local fields = {}
  for field in (line .. "\t"):gmatch("([^\t]*)\t") do
    table.insert(fields, field)
  end
  return fields
end

local reqs, index, once, ok_status, ok_text, fallback = {}, 0, false, 200, nil, nil

function init(args)
  local path, mode, count = args[1], args[2], tonumber(args[3])
  once = mode == "once"
  ok_status = tonumber(args[4])
  if args[5] and args[5] ~= "" then ok_text = args[5] end
  local n = 0
  for line in io.lines(path) do
    if line ~= "" and (not once or n % count == tid) then
      local f = split(line)
      local headers = {}
      if f[3] ~= "" then headers["Cookie"] = f[3] end
      local body = nil
      if f[1] == "POST" then
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = f[4]
      end
      table.insert(reqs, wrk.format(f[1], f[2], headers, body))
    end
    n = n + 1
  end
  -- Threads start at different places of a cycled list.
  if not once and #reqs > 0 then index = (tid * 7919) % #reqs end
  fallback = wrk.format("GET", "/_bench/hello")
end

function request()
  if first_us == 0 then first_us = now_us() end
  if once then
    index = index + 1
    if index > #reqs then
      -- Every line was sent: stop this thread (request() must still return something).
      wrk.thread:stop()
      return fallback
    end
    return reqs[index]
  end
  index = index % #reqs + 1
  return reqs[index]
end

function response(status, headers, body)
  last_us = now_us()
  if status == ok_status and (ok_text == nil or (body and body:find(ok_text, 1, true))) then
    ok = ok + 1
  else
    refused = refused + 1
  end
end

function done(summary, latency, requests)
  local accepted, other, first, last = 0, 0, nil, 0
  for _, thread in ipairs(threads) do
    accepted = accepted + thread:get("ok")
    other = other + thread:get("refused")
    local started = thread:get("first_us")
    if started > 0 and (first == nil or started < first) then first = started end
    last = math.max(last, thread:get("last_us"))
  end
  local span = first and (last - first) or summary.duration
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d %d %d\n", summary.requests,
    span, e.connect + e.read + e.write + e.timeout, accepted, other,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
