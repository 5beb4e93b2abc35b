-- wrk script of the postal operators' status callbacks (bench.py postal): walks the pre-signed
-- callbacks of BENCH_PATHS (one a line: the X-Postal-Signature header's value, a tab, the JSON
-- body, made by the bench a moment before the run, within the 5-minute window) and POSTs each to
-- the URL given to wrk (/api/v1/postal/callback/sandbox), thread k taking lines k, k +
-- BENCH_THREADS, k + 2 × BENCH_THREADS, … and starting over at the end (counted: `wrapped`), so
-- the first pass over a file of new statuses is kept (202 accepted) and a later pass repeats
-- them (200 duplicate once the worker applied them). Counts the answers by their `result` (or
-- their error's code) and prints them with the latency percentiles as one JSON line at the end,
-- like bench.lua and ipn.lua.
local lines = {}
local thread_id = 0
local threads = {}

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("BENCH_PATHS")) do
    local signature, body = string.match(line, "^([^\t]+)\t(.+)$")
    if signature then table.insert(lines, {signature, body}) end
  end
  step = tonumber(os.getenv("BENCH_THREADS") or "1")
  index = tid - step
  counter = 0
  answers = {}
  not_ok = 0
  wrapped = 0
end

function request()
  counter = counter + 1
  index = index + step
  if index > #lines then
    index = tid
    wrapped = wrapped + 1
  end
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["Content-Type"] = "application/json"
  headers["X-Postal-Signature"] = lines[index][1]
  headers["X-Bench-Client"] = "10." .. tid .. "." .. math.floor(counter / 250) % 250 .. "." .. counter % 250
  return wrk.format("POST", nil, headers, lines[index][2])
end

function response(status, headers, body)
  if status < 200 or status > 299 then not_ok = not_ok + 1 end
  local answer = body and (string.match(body, '"result"%s*:%s*"([%w_]+)"')
    or string.match(body, '"code"%s*:%s*"([%w_]+)"')) or "none"
  local key = status .. " " .. answer
  answers[key] = (answers[key] or 0) + 1
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  local total_not_ok, total_wrapped = 0, 0
  local totals = {}
  for _, thread in ipairs(threads) do
    total_not_ok = total_not_ok + thread:get("not_ok")
    total_wrapped = total_wrapped + thread:get("wrapped")
    for key, n in pairs(thread:get("answers")) do totals[key] = (totals[key] or 0) + n end
  end
  local parts = {}
  for key, n in pairs(totals) do table.insert(parts, string.format('"%s": %d', key, n)) end
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "errors": %d, "non2xx": %d, "not_2xx": %d, "wrapped": %d, "answers": {%s}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors, summary.errors.status, total_not_ok, total_wrapped, table.concat(parts, ", ")))
end
