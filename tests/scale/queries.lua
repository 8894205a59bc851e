-- queries.lua - wrk script for the scale test: each request is the next
-- of a fixed rotation of public searches (API and HTML) over the
-- generated corpus's words (tests/e2e/conftest.py generated_corpus).
local paths = {}
for i = 0, 39 do
  paths[#paths + 1] = string.format("/api/search?q=term%03d", i * 7)
end
paths[#paths + 1] = "/api/search?q=generated+article"
paths[#paths + 1] = "/api/search?q=filler+marker"
paths[#paths + 1] = "/search?q=term042"
paths[#paths + 1] = "/api/suggest?q=ter"
local n = 0

request = function()
  n = n % #paths + 1
  return wrk.format("GET", paths[n])
end
