-- wrk script shared by every benchmark: a fresh X-Bench-Client per request, optional list of
-- paths (one per line in the file named by BENCH_PATHS), an optional JSON body for POSTs with
-- a unique Idempotency-Key or a file posted as it is (BENCH_BODY_FILE, BENCH_CONTENT_TYPE);
-- prints the latency percentiles as one JSON line at the end.
local paths = {}
local counter = 0
local thread_id = 0
local threads = {}

function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
  table.insert(threads, thread)
end

function init(args)
  local file = os.getenv("BENCH_PATHS")
  if file and file ~= "" then
    for line in io.lines(file) do
      if line ~= "" then table.insert(paths, line) end
    end
  end
  math.randomseed(os.time() + tid * 7919)
  body = os.getenv("BENCH_BODY")
  key = os.getenv("BENCH_KEY")
  -- A file posted as it is with its own Content-Type (the e-result verification's multipart).
  local body_file = os.getenv("BENCH_BODY_FILE")
  if body_file and body_file ~= "" then
    local file = io.open(body_file, "rb")
    file_body = file:read("*a")
    file:close()
    file_type = os.getenv("BENCH_CONTENT_TYPE")
  end
end

function request()
  counter = counter + 1
  -- wrk.format ignores wrk.headers (the -H options: the officer's session cookie) when given a
  -- table of its own, so start from them.
  local headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  headers["X-Bench-Client"] = "10." .. tid .. "." .. math.floor(counter / 250) % 250 .. "." .. counter % 250
  local path = nil
  if #paths > 0 then path = paths[math.random(#paths)] end
  if file_body then
    headers["Content-Type"] = file_type
    return wrk.format("POST", path, headers, file_body)
  end
  if body and body ~= "" then
    headers["Content-Type"] = "application/json"
    headers["Authorization"] = "Bearer " .. key
    headers["Idempotency-Key"] = "bench-" .. tid .. "-" .. counter .. "-" .. math.random(1000000000)
    return wrk.format("POST", path, headers, body)
  end
  return wrk.format("GET", path, headers)
end

-- wrk counts only statuses >= 400 as errors: a redirect (to the login page) would pass as a
-- cheap success, so count every answer that is not 2xx.
not_ok = 0

function response(status, headers, body)
  if status < 200 or status > 299 then not_ok = not_ok + 1 end
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  local redirects_or_errors = 0
  for _, thread in ipairs(threads) do redirects_or_errors = redirects_or_errors + thread:get("not_ok") end
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.2f, "p95_ms": %.2f, "p99_ms": %.2f, "errors": %d, "non2xx": %d, "not_2xx": %d}\n',
    summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    errors, summary.errors.status, redirects_or_errors))
end
