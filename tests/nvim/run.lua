-- Driven by tests/neovim.rs: opens fixtures in headless Neovim with editors/nvim, asks
-- `aslc lsp` for diagnostics, hover, completion, goto definition and rename, and writes
-- what the editor received as JSON to $OUT.
local out_path = os.getenv('OUT')
local dir = os.getenv('FIXTURES')
local results = { nvim = tostring(vim.version().major) .. '.' .. tostring(vim.version().minor) }

vim.opt.runtimepath:prepend(os.getenv('ASLC_NVIM'))
vim.cmd('filetype on')
vim.cmd('syntax on')
require('aslc').setup({ cmd = { os.getenv('ASLC_BIN'), 'lsp' } })

local function open(name)
  vim.cmd('edit ' .. vim.fn.fnameescape(dir .. '/' .. name))
  local buf = vim.api.nvim_get_current_buf()
  vim.wait(15000, function()
    return next(vim.lsp.buf_get_clients(buf)) ~= nil
  end, 20)
  return buf
end

local function diagnostics(buf)
  vim.wait(15000, function()
    return #vim.diagnostic.get(buf) > 0
  end, 20)
  local list = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    local lsp = d.user_data and d.user_data.lsp or {}
    table.insert(list, { line = d.lnum, code = lsp.code or d.code, severity = d.severity, message = d.message })
  end
  table.sort(list, function(a, b)
    return a.line < b.line or (a.line == b.line and tostring(a.code) < tostring(b.code))
  end)
  return list
end

-- The position of the first occurrence of `needle`, plus `delta` columns (ASCII fixtures).
local function at(buf, needle, delta)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local s = line:find(needle, 1, true)
    if s then
      return { textDocument = vim.lsp.util.make_text_document_params(buf), position = { line = i - 1, character = s - 1 + (delta or 0) } }
    end
  end
  error('not found: ' .. needle)
end

local function request(buf, method, params)
  local responses = vim.lsp.buf_request_sync(buf, method, params, 10000) or {}
  for _, response in pairs(responses) do
    -- Neovim 0.7 names the error `err` in some versions and `error` in others.
    local err = response.err or response.error
    if err then
      return { error = err.message }
    end
    return response.result
  end
end

local function labels(result)
  local items = result and (result.items or result) or {}
  local names = {}
  for _, item in ipairs(items) do
    table.insert(names, item.label)
  end
  return names
end

local function hover_text(result)
  if not result then
    return ''
  end
  local contents = result.contents
  return type(contents) == 'table' and (contents.value or '') or tostring(contents)
end

local function run()
  -- ASL JSON
  local buf = open('order.asl.json')
  results.json_filetype = vim.bo[buf].filetype
  results.json_diagnostics = diagnostics(buf)
  results.json_hover = hover_text(request(buf, 'textDocument/hover', at(buf, '"Next": "Route"', 10)))
  results.json_completion = labels(request(buf, 'textDocument/completion', at(buf, '"Next": "Route"', 9)))
  local def = request(buf, 'textDocument/definition', at(buf, '"Next": "Failed"', 10))
  def = def and (def.range and def or def[1])
  results.json_definition = def and def.range.start.line
  local params = at(buf, '"Next": "Route"', 10)
  params.newName = 'Dispatch'
  local edit = request(buf, 'textDocument/rename', params)
  vim.lsp.util.apply_workspace_edit(edit, 'utf-16')
  local renamed = 0
  for _, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local _, n = line:gsub('"Dispatch"', '')
    renamed = renamed + n
  end
  results.json_renamed = renamed
  results.json_route_left = vim.fn.search('"Route"', 'nw')
  params.newName = 'Failed'
  params.position = at(buf, '"Next": "Dispatch"', 10).position
  results.json_rename_refused = request(buf, 'textDocument/rename', params)

  -- ASL YAML
  buf = open('order.asl.yaml')
  results.yaml_diagnostics = diagnostics(buf)
  results.yaml_hover = hover_text(request(buf, 'textDocument/hover', at(buf, 'Type: Choice', 7)))
  local yaml_def = request(buf, 'textDocument/definition', at(buf, 'Next: Failed', 7))
  yaml_def = yaml_def and (yaml_def.range and yaml_def or yaml_def[1])
  results.yaml_definition = yaml_def and yaml_def.range.start.line

  -- The workflow language
  buf = open('order.asld')
  results.dsl_filetype = vim.bo[buf].filetype
  results.dsl_diagnostics = diagnostics(buf)
  results.dsl_completion = labels(request(buf, 'textDocument/completion', at(buf, 'goto Failed', 5)))
  local dsl_def = request(buf, 'textDocument/definition', at(buf, 'goto Failed', 6))
  dsl_def = dsl_def and (dsl_def.range and dsl_def or dsl_def[1])
  results.dsl_definition = dsl_def and dsl_def.range.start.line
end

local ok, err = pcall(run)
if not ok then
  results.error = tostring(err)
end
local file = io.open(out_path, 'w')
file:write(vim.fn.json_encode(results))
file:close()
vim.cmd('qa!')
