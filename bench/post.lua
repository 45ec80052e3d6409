-- wrk script: OpenAI-style chat requests over 1,000 accounts (keys), JSON or SSE.
local stream = os.getenv("STREAM") == "1"
local n = 0
request = function()
  n = n + 1
  local body = '{"model":"m","max_tokens":64,' .. (stream and '"stream":true,' or '') ..
    '"messages":[{"role":"user","content":"Summarise the plot of Hamlet in two sentences, request ' .. n .. '."}]}'
  local headers = {["content-type"] = "application/json",
                   ["authorization"] = "Bearer sk-bench-" .. (n % 1000)}
  return wrk.format("POST", "/v1/chat/completions", headers, body)
end
