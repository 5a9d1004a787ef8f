-- wrk script: an authenticated read — one instance by id.
-- Usage: TOKEN=… wrk -s bench/wrk/read.lua http://127.0.0.1:8080
local token = os.getenv("TOKEN")
request = function()
  return wrk.format("GET", "/api/v1/instances/lifecycle%2F2026%2Fcity%2Fgx-nanning",
                    {["Authorization"] = "Bearer " .. token})
end
