-- wrk script: a durable write per request — an admin updates the display name of one of
-- 256 users picked at random (so concurrent connections rarely touch the same instance;
-- when they do, the engine retries and counts the conflict, as without If-Match).
-- Usage: TOKEN=… wrk -s bench/wrk/write.lua http://127.0.0.1:8080
local token = os.getenv("TOKEN")
local n = 0
request = function()
  n = n + 1
  local id = math.random(0, 255)
  local body = '{"payload": {"display_name": "bench ' .. n .. '"}, "reason": "load test"}'
  return wrk.format("POST", "/api/v1/instances/user%2Fbench.t" .. id .. "/commands/update",
                    {["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json"},
                    body)
end
