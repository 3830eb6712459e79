-- wrk script: rotate over a list of request paths.
-- usage: wrk ... -s bench/rotate.lua http://HOST:PORT -- PATHS_FILE [ACCEPT]
-- Each thread starts at a different offset; requests are pre-formatted in init().
-- done() prints one line "BENCH_RESULT {json}" for bench/run.sh.

local thread_count = 0

function setup(thread)
  thread:set("tid", thread_count)
  thread_count = thread_count + 1
end

function init(args)
  local file = args[1]
  local accept = args[2]
  if accept ~= nil and accept ~= "" then
    wrk.headers["Accept"] = accept
  end
  reqs = {}
  for line in io.lines(file) do
    if #line > 0 then
      reqs[#reqs + 1] = wrk.format("GET", line)
    end
  end
  if #reqs == 0 then
    error("no paths in " .. file)
  end
  idx = ((tid or 0) * 7919) % #reqs + 1
  n = #reqs
end

function request()
  local r = reqs[idx]
  idx = idx + 1
  if idx > n then idx = 1 end
  return r
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_RESULT {"requests":%d,"duration_us":%d,"bytes":%d,' ..
    '"connect_err":%d,"read_err":%d,"write_err":%d,"status_err":%d,"timeout_err":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
