-- aslc for Neovim: filetype detection for ASL and `.asld` files, and the `aslc lsp`
-- client. Works on Neovim 0.7 (vim.lsp.start_client) and later (vim.lsp.start).
--
--   require('aslc').setup({
--     cmd = { 'aslc', 'lsp' },        -- how to start the server
--     init_options = {},              -- e.g. { debounceMs = 50, workflowType = 'express' }
--     templates = true,               -- also attach to YAML/JSON files holding a state machine
--   })
local M = {}

local defaults = {
  cmd = { 'aslc', 'lsp' },
  init_options = {},
  templates = true,
}

local config = vim.deepcopy(defaults)
local clients = {}

--- Whether a buffer's name or first lines say it holds ASL or a template with a state
--- machine.
local function is_asl(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr):lower()
  if name:match('%.asld$') or name:match('%.asl%.json$') or name:match('%.asl%.ya?ml$') then
    return true
  end
  if not config.templates then
    return false
  end
  local lines = vim.api.nvim_buf_get_lines(bufnr, 0, 400, false)
  local text = table.concat(lines, '\n')
  return (text:find('"StartAt"', 1, true) and text:find('"States"', 1, true))
    or (text:find('StartAt:', 1, true) and text:find('States:', 1, true))
    or text:find('AWS::StepFunctions::StateMachine', 1, true)
    or text:find('AWS::Serverless::StateMachine', 1, true)
end

local function root_of(bufnr)
  local name = vim.api.nvim_buf_get_name(bufnr)
  local dir = vim.fn.fnamemodify(name, ':p:h')
  local found = vim.fn.finddir('.git', dir .. ';')
  if found ~= '' then
    return vim.fn.fnamemodify(found, ':p:h:h')
  end
  return dir
end

--- Starts (or reuses) the client for the buffer's root folder and attaches it.
function M.attach(bufnr)
  bufnr = bufnr or vim.api.nvim_get_current_buf()
  if not is_asl(bufnr) then
    return
  end
  local root = root_of(bufnr)
  local lsp_config = {
    name = 'aslc',
    cmd = config.cmd,
    root_dir = root,
    init_options = config.init_options,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = root } },
  }
  if vim.lsp.start then
    vim.lsp.start(lsp_config, { bufnr = bufnr })
    return
  end
  local id = clients[root]
  if not id or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client(lsp_config)
    clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(bufnr, id)
  end
end

function M.setup(opts)
  config = vim.tbl_deep_extend('force', vim.deepcopy(defaults), opts or {})
  if vim.filetype and vim.filetype.add then
    vim.filetype.add({
      extension = { asld = 'asld' },
      pattern = {
        ['.*%.asl%.json'] = 'json',
        ['.*%.asl%.ya?ml'] = 'yaml',
      },
    })
  end
  local group = vim.api.nvim_create_augroup('aslc', { clear = true })
  -- Neovim 0.7 reads `vim.filetype.add` only with `g:do_filetype_lua`; an autocommand
  -- works everywhere.
  vim.api.nvim_create_autocmd({ 'BufNewFile', 'BufRead' }, {
    group = group,
    pattern = '*.asld',
    callback = function(args)
      vim.bo[args.buf].filetype = 'asld'
    end,
  })
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = { 'asld', 'json', 'jsonc', 'yaml' },
    callback = function(args)
      M.attach(args.buf)
    end,
  })
end

return M
