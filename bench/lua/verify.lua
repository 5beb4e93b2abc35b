-- wrk script of the e-result verification (POST /api/v1/verify): the same signed PDF posted as
-- multipart/form-data on every request (the body made by bench/esign.py, in the file named by
-- BENCH_BODY_FILE, its Content-Type with the boundary in BENCH_CONTENT_TYPE), a fresh
-- X-Bench-Client per request, answers counted by status; one JSON line at the end.
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
  table.insert(threads, thread)
end

function init(args)
  local file = io.open(os.getenv("BENCH_BODY_FILE"), "rb")
  body = file:read("*a")
  file:close()
  content_type = os.getenv("BENCH_CONTENT_TYPE")
end

function request()
  counter = counter + 1
  local headers = {}
  headers["Content-Type"] = content_type
  headers["X-Bench-Client"] = "10." .. tid .. "." .. math.floor(counter / 250) % 250 .. "." .. counter % 250
  return wrk.format("POST", nil, headers, body)
end

not_ok = 0

function response(status, headers, body)
  if status < 200 or status > 299 then not_ok = not_ok + 1 end
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  local not_2xx = 0
  for _, thread in ipairs(threads) do not_2xx = not_2xx + thread:get("not_ok") end
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "errors": %d, "non2xx": %d, "not_2xx": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors, summary.errors.status, not_2xx))
end
