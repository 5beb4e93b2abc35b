-- wrk script of the payment gateway's notices (bench.py payments): walks the pre-signed IPN
-- paths of BENCH_PATHS (one invoice per line: GET /api/v1/payments/callback/vnpay?<signed>) in
-- order, thread k taking lines k, k + BENCH_THREADS, k + 2 × BENCH_THREADS, … and starting over
-- at the end, so the first pass over a file of unpaid invoices pays them (RspCode 00) and every
-- later pass repeats notices already recorded (02). Counts the answers by RspCode and prints
-- them with the latency percentiles as one JSON line at the end, like bench.lua.
local paths = {}
local thread_id = 0
local threads = {}

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("BENCH_PATHS")) do
    if line ~= "" then table.insert(paths, line) end
  end
  step = tonumber(os.getenv("BENCH_THREADS") or "1")
  index = tid - step
  counter = 0
  codes = {}
  not_ok = 0
  wrapped = 0
end

function request()
  counter = counter + 1
  index = index + step
  if index > #paths then
    index = tid
    wrapped = wrapped + 1
  end
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["X-Bench-Client"] = "10." .. tid .. "." .. math.floor(counter / 250) % 250 .. "." .. counter % 250
  return wrk.format("GET", paths[index], headers)
end

function response(status, headers, body)
  if status < 200 or status > 299 then not_ok = not_ok + 1 end
  local code = body and string.match(body, '"RspCode"%s*:%s*"(%d+)"') or "none"
  codes[code] = (codes[code] or 0) + 1
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  local total_not_ok, total_wrapped = 0, 0
  local totals = {}
  for _, thread in ipairs(threads) do
    total_not_ok = total_not_ok + thread:get("not_ok")
    total_wrapped = total_wrapped + thread:get("wrapped")
    for code, n in pairs(thread:get("codes")) do totals[code] = (totals[code] or 0) + n end
  end
  local parts = {}
  for code, n in pairs(totals) do table.insert(parts, string.format('"%s": %d', code, n)) end
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "errors": %d, "non2xx": %d, "not_2xx": %d, "wrapped": %d, "rsp_codes": {%s}}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors, summary.errors.status, total_not_ok, total_wrapped, table.concat(parts, ", ")))
end
