-- Headless Neovim end-to-end test of `asyncmig serve`, written for the oldest Neovim we
-- support in CI (Debian's 0.7.2): vim.lsp.start_client + buf_attach_client, no vim.lsp.start,
-- no filetype detection under -u NONE, UTF-16 positions, didChange debounced at 150 ms.
--
-- Run by editors/nvim/nvim_e2e_test.go:
--   nvim --headless --clean -n -u NONE -c "luafile e2e.lua" </dev/null
-- with ASYNCMIG_BIN (server binary), ASYNCMIG_TEST_FILE (a copy of registro.py inside a
-- project root) and ASYNCMIG_NVIM_CONFIG (editors/nvim/lsp/asyncmig.lua, the shipped config).
-- Every step fails loudly: a message on stderr and a non-zero exit code.

local STEP_TIMEOUT_MS = 15000

local function log(msg)
  io.stderr:write('[e2e] ' .. msg .. '\n')
end

local function fail(msg)
  error({ e2e = msg }, 2)
end

local function getenv_required(name)
  local value = os.getenv(name)
  if value == nil or value == '' then
    fail(name .. ' is not set')
  end
  return value
end

local function wait_for(what, predicate)
  local ok = vim.wait(STEP_TIMEOUT_MS, predicate, 20)
  if not ok then
    fail('timed out after ' .. STEP_TIMEOUT_MS .. ' ms waiting for ' .. what)
  end
end

-- The workspace root the way Neovim 0.11 finds it from root_markers: the nearest ancestor
-- directory of the file that holds one of the markers.
local function find_root(path, markers)
  local dir = vim.fn.fnamemodify(path, ':p:h')
  while true do
    for _, marker in ipairs(markers) do
      if vim.loop.fs_stat(dir .. '/' .. marker) then
        return dir
      end
    end
    local parent = vim.fn.fnamemodify(dir, ':h')
    if parent == dir then
      return nil
    end
    dir = parent
  end
end

local function line_of(buf, needle)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, false)) do
    local col = line:find(needle, 1, true)
    if col then
      return i - 1, col - 1, line -- 0-based row, 0-based byte column
    end
  end
  fail('the buffer has no line containing ' .. vim.inspect(needle))
end

-- >>> code lens + progress steps (owned by the server engineer; issues 5 and 6) >>>>>>>>>>>>>>>>
-- Progress: Neovim 0.7.2 advertises window.workDoneProgress, accepts the server's
-- window/workDoneProgress/create and keeps $/progress in client.messages.progress, which
-- vim.lsp.util.get_progress_messages() (what statuslines show) reads. record_progress wraps the
-- stock handler to also keep the kinds the server sent per token.
local progress_kinds = {} -- token -> { 'begin', 'report', ..., 'end' }

local function record_progress(handlers)
  handlers['$/progress'] = function(err, result, ctx, handler_config)
    if result and type(result.value) == 'table' then
      local kinds = progress_kinds[result.token] or {}
      table.insert(kinds, result.value.kind)
      progress_kinds[result.token] = kinds
    end
    return vim.lsp.handlers['$/progress'](err, result, ctx, handler_config)
  end
end

-- The indexing progress: begin, at least one report, end, in that order, on one token, and
-- Neovim showing it under its title until it is done.
local function progress_step()
  local shown_done = false
  wait_for('the indexing progress to begin, report and end', function()
    for _, m in ipairs(vim.lsp.util.get_progress_messages()) do
      if m.title == 'asyncmig: indexing Python files' and m.done then
        shown_done = true
      end
    end
    return shown_done
  end)
  local found = nil
  for token, kinds in pairs(progress_kinds) do
    if type(token) == 'string' and vim.startswith(token, 'asyncmig/index/') then
      found = kinds
      local ok = #kinds >= 3 and kinds[1] == 'begin' and kinds[#kinds] == 'end'
      for i = 2, #kinds - 1 do
        ok = ok and kinds[i] == 'report'
      end
      if not ok then
        fail('indexing progress kinds ' .. vim.inspect(kinds) .. ', want begin, report..., end')
      end
    end
  end
  if not found then
    fail('no $/progress with an asyncmig/index/ token; got ' .. vim.inspect(progress_kinds))
  end
  log('indexing progress shown: ' .. table.concat(found, ','))
end

-- Code lens: sesiones.py (ASYNCMIG_LENS_FILE) has a sync handler, an async one with a
-- finding and a migrated one. Neovim 0.7.2 requests lenses, resolves each through
-- codeLens/resolve and shows the titles as virtual text on the def lines; running a
-- lens asks for the migration report as markdown.
local function codelens_step(client, client_id)
  local file = getenv_required('ASYNCMIG_LENS_FILE')
  local buf = vim.fn.bufadd(file)
  vim.fn.bufload(buf)
  vim.bo[buf].filetype = 'python'
  if not vim.lsp.buf_attach_client(buf, client_id) then
    fail('vim.lsp.buf_attach_client failed for ' .. file)
  end
  local want = {
    { anchor = 'def listar_sesiones', title = 'sync — not migrated' },
    { anchor = 'async def abrir_sesión', title = 'async — 1 finding' },
    { anchor = 'async def cerrar_sesión', title = 'async ✓' },
  }
  vim.api.nvim_buf_call(buf, function()
    vim.lsp.codelens.refresh()
  end)
  local ns = vim.api.nvim_create_namespace('vim_lsp_codelens:' .. client_id)
  local function shown(row)
    local texts = {}
    for _, mark in ipairs(vim.api.nvim_buf_get_extmarks(buf, ns, { row, 0 }, { row, -1 }, { details = true })) do
      for _, chunk in ipairs(mark[4].virt_text or {}) do
        table.insert(texts, chunk[1])
      end
    end
    return table.concat(texts)
  end
  wait_for('the code lenses of ' .. file .. ' to be resolved and shown', function()
    local lenses = vim.lsp.codelens.get(buf)
    if #lenses ~= #want then
      return false
    end
    for _, w in ipairs(want) do
      if shown((line_of(buf, w.anchor))) ~= w.title then
        return false
      end
    end
    return true
  end)
  local sync_lens = nil
  for _, lens in ipairs(vim.lsp.codelens.get(buf)) do
    if lens.command and lens.command.title == want[1].title then
      sync_lens = lens
    end
  end
  if not sync_lens or sync_lens.range.start.line ~= (line_of(buf, want[1].anchor)) then
    fail('no resolved lens on listar_sesiones: ' .. vim.inspect(vim.lsp.codelens.get(buf)))
  end
  -- What vim.lsp.codelens.run() sends for a server command.
  local res = client.request_sync('workspace/executeCommand', sync_lens.command, STEP_TIMEOUT_MS, buf)
  if not res or res.err or type(res.result) ~= 'string' then
    fail('running the lens failed: ' .. vim.inspect(res))
  end
  if not res.result:find('`listar_sesiones`', 1, true) or not res.result:find('sync — not migrated', 1, true) then
    fail('the migration report lacks listar_sesiones:\n' .. res.result)
  end
  log('code lenses shown: ' .. want[1].title .. ' | ' .. want[2].title .. ' | ' .. want[3].title .. '; report has ' .. #res.result .. ' bytes')
end
-- <<< code lens + progress steps <<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<

-- >>> migrate step (owned by the migrate engineer; see internal/migrate) >>>>>>>>>>>>>>>>>>>>>>>
-- Applies "Migrate `ver_registro` to async" once to a second file, rutas.py
-- (ASYNCMIG_MIGRATE_FILE), the way a user picks it from the refactor menu: a code action
-- request with context.only = { 'refactor.rewrite' } on the function's `def` line, the
-- action of kind refactor.rewrite.asyncmig.migrateFunction, its edit applied and the buffer
-- written. nvim_e2e_test.go compares the file on disk with test/rutas.py.golden.
local MIGRATE_KIND = 'refactor.rewrite.asyncmig.migrateFunction'

local function migrate_step(client, client_id)
  local file = getenv_required('ASYNCMIG_MIGRATE_FILE')
  local buf = vim.fn.bufadd(file)
  vim.fn.bufload(buf)
  vim.bo[buf].filetype = 'python'
  if not vim.lsp.buf_attach_client(buf, client_id) then
    fail('vim.lsp.buf_attach_client failed for ' .. file)
  end
  local row, col = line_of(buf, 'def ver_registro')
  local uri = vim.uri_from_bufnr(buf)
  local pos = { line = row, character = col } -- ASCII up to the cursor: bytes = UTF-16 units
  local actions
  wait_for('the migrate action on ver_registro', function()
    local responses = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', {
      textDocument = { uri = uri },
      range = { start = pos, ['end'] = pos },
      context = { diagnostics = {}, only = { 'refactor.rewrite' } },
    }, STEP_TIMEOUT_MS)
    local response = responses and responses[client_id]
    if response and response.err then
      fail('textDocument/codeAction returned an error: ' .. vim.inspect(response.err))
    end
    actions = {}
    for _, a in ipairs(response and response.result or {}) do
      if a.kind == MIGRATE_KIND then
        table.insert(actions, a)
      end
    end
    return #actions > 0
  end)
  if #actions ~= 1 then
    fail('want one migrate action, got ' .. vim.inspect(actions))
  end
  local action = actions[1]
  if action.title ~= 'Migrate `ver_registro` to async' or action.disabled or not action.edit then
    fail('unexpected migrate action: ' .. vim.inspect(action))
  end
  log('applying "' .. action.title .. '"')
  vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
  local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
  if not text:find('async def ver_registro(usuario: str):', 1, true) or not text:find('await asyncio.sleep(0.1)', 1, true) then
    fail('the buffer is not migrated after applying the action:\n' .. text)
  end
  vim.api.nvim_buf_call(buf, function()
    vim.cmd('write')
  end)
  log('migrated ver_registro to async and saved rutas.py')
end
-- <<< migrate step <<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<<

local function run()
  local bin = getenv_required('ASYNCMIG_BIN')
  local file = getenv_required('ASYNCMIG_TEST_FILE')
  local config_path = getenv_required('ASYNCMIG_NVIM_CONFIG')

  -- The shipped lsp/asyncmig.lua is what users copy: start the server exactly as it says,
  -- with only the binary replaced by the freshly built one.
  local config = dofile(config_path)
  if type(config) ~= 'table' or type(config.cmd) ~= 'table' or config.cmd[1] ~= 'asyncmig' then
    fail(config_path .. ' does not return a config whose cmd starts with "asyncmig"')
  end
  if not vim.tbl_contains(config.filetypes or {}, 'python') then
    fail(config_path .. ' does not list the python filetype')
  end
  local cmd = vim.deepcopy(config.cmd)
  cmd[1] = bin
  local extra_args = os.getenv('ASYNCMIG_SERVER_ARGS')
  if extra_args and extra_args ~= '' then
    vim.list_extend(cmd, vim.split(extra_args, ' ', { trimempty = true }))
  end

  vim.cmd('edit ' .. vim.fn.fnameescape(file))
  local buf = vim.api.nvim_get_current_buf()
  vim.bo[buf].filetype = 'python' -- no filetype detection under -u NONE
  if vim.bo[buf].filetype ~= config.filetypes[1] and not vim.tbl_contains(config.filetypes, vim.bo[buf].filetype) then
    fail('the buffer filetype is not one the config attaches to')
  end

  local root = find_root(file, config.root_markers or {})
  if root == nil then
    fail('no root marker from ' .. vim.inspect(config.root_markers) .. ' above ' .. file)
  end

  -- Keep the raw LSP diagnostics too: their UTF-16 ranges are what the server computed.
  local published = {} -- uri -> { version = n, diagnostics = {...} }
  local exit_code = nil
  local handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, handler_config)
      if result then
        published[result.uri] = { version = result.version, diagnostics = result.diagnostics }
      end
      return vim.lsp.handlers['textDocument/publishDiagnostics'](err, result, ctx, handler_config)
    end,
  }

  -- >>> progress step: record $/progress from the first message (see record_progress) >>>
  record_progress(handlers)
  -- <<< progress step <<<

  local client_id = vim.lsp.start_client({
    name = 'asyncmig',
    cmd = cmd,
    root_dir = root,
    workspace_folders = { { uri = vim.uri_from_fname(root), name = 'e2e' } },
    init_options = config.init_options,
    settings = config.settings,
    handlers = handlers,
    on_exit = function(code)
      exit_code = code
    end,
  })
  if not client_id then
    fail('vim.lsp.start_client returned nil for cmd ' .. vim.inspect(cmd))
  end
  if not vim.lsp.buf_attach_client(buf, client_id) then
    fail('vim.lsp.buf_attach_client failed')
  end
  wait_for('the server to initialize', function()
    local client = vim.lsp.get_client_by_id(client_id)
    return (client and client.initialized) or exit_code ~= nil
  end)
  if exit_code ~= nil then
    fail('the server exited during startup with code ' .. exit_code)
  end
  local client = vim.lsp.get_client_by_id(client_id)
  log('initialized; offset encoding ' .. tostring(client.offset_encoding))

  -- >>> progress + code lens steps (see progress_step, codelens_step) >>>
  progress_step()
  codelens_step(client, client_id)
  -- <<< progress + code lens steps <<<

  -- Record what Neovim sends, to check the edit below really travels as incremental changes.
  local did_change = {}
  local notify = client.notify
  client.notify = function(method, params)
    if method == 'textDocument/didChange' then
      table.insert(did_change, params)
    end
    return notify(method, params)
  end

  local uri = vim.uri_from_bufnr(buf)
  local function am501()
    local entry = published[uri]
    local found = {}
    for _, d in ipairs(entry and entry.diagnostics or {}) do
      if d.code == 'AM501' then
        table.insert(found, d)
      end
    end
    return found
  end

  -- Checks that the server's diagnostic sits exactly on `datetime.utcnow()` of the line holding
  -- `anchor`, both in the server's UTF-16 coordinates and in Neovim's byte columns.
  local function expect_on_call(diag, anchor)
    local row, _, line = line_of(buf, anchor)
    local call_byte = line:find('datetime.utcnow()', 1, true) - 1
    local call_utf16 = select(2, vim.str_utfindex(line, call_byte))
    local end_utf16 = select(2, vim.str_utfindex(line, call_byte + #'datetime.utcnow()'))
    local r = diag.range
    if r.start.line ~= row or r.start.character ~= call_utf16 or r['end'].line ~= row or r['end'].character ~= end_utf16 then
      fail(string.format('AM501 range %s, want line %d characters %d-%d (UTF-16) for %q',
        vim.inspect(r), row, call_utf16, end_utf16, line))
    end
    if diag.source ~= 'asyncmig' then
      fail('diagnostic source is ' .. vim.inspect(diag.source) .. ', want "asyncmig"')
    end
    local shown = vim.diagnostic.get(buf, { lnum = row })
    local seen = false
    for _, d in ipairs(shown) do
      if d.code == 'AM501' then
        seen = true
        local text = line:sub(d.col + 1, d.end_col)
        if text ~= 'datetime.utcnow()' then
          fail('Neovim shows AM501 over ' .. vim.inspect(text) .. ', want "datetime.utcnow()"')
        end
      end
    end
    if not seen then
      fail('vim.diagnostic.get has no AM501 on line ' .. row)
    end
  end

  -- 1. Open: the server reports the naive utcnow() call.
  wait_for('AM501 on the opened file', function()
    return #am501() > 0
  end)
  local first = am501()
  if #first ~= 1 then
    fail('want exactly one AM501 diagnostic, got ' .. vim.inspect(first))
  end
  expect_on_call(first[1], 'caducada = datetime.utcnow()')
  log('diagnostic after open: ' .. first[1].message)

  -- 2. Type: a new line above and an emoji before the call on the same line. Both edits land
  -- in one incremental didChange (0.7.2 batches changes made within its 150 ms debounce).
  local row, _, line = line_of(buf, 'caducada = datetime.utcnow()')
  vim.api.nvim_buf_set_text(buf, row, 0, row, 0, { '    # Añadido desde Neovim: revisión 🎯', '' })
  local quote = line:find('"¡', 1, true) -- byte just after the opening quote and the ¡
  vim.api.nvim_buf_set_text(buf, row + 1, quote - 1 + #'"¡', row + 1, quote - 1 + #'"¡', { '🔥 ' })
  local moved_row = row + 1
  wait_for('AM501 to move to line ' .. moved_row .. ' after the edit', function()
    local d = am501()
    return #d == 1 and d[1].range.start.line == moved_row and d[1].range.start.character ~= first[1].range.start.character
  end)
  expect_on_call(am501()[1], 'caducada = datetime.utcnow()')
  if #did_change ~= 1 or #did_change[1].contentChanges ~= 2 then
    fail('want one didChange carrying both edits, got ' .. vim.inspect(did_change))
  end
  for _, change in ipairs(did_change[1].contentChanges) do
    if change.range == nil then
      fail('want incremental changes (with a range), got a full-text change: ' .. vim.inspect(change))
    end
  end
  log('diagnostic moved with the edit (one didChange, two incremental changes)')

  -- 3. Code actions on the diagnostic: the preferred one is the safe fix.
  local target = am501()[1]
  local responses, request_err = vim.lsp.buf_request_sync(buf, 'textDocument/codeAction', {
    textDocument = { uri = uri },
    range = target.range,
    context = { diagnostics = { target } },
  }, STEP_TIMEOUT_MS)
  if not responses then
    fail('textDocument/codeAction failed: ' .. tostring(request_err))
  end
  local response = responses[client_id]
  if not response or response.err then
    fail('textDocument/codeAction returned an error: ' .. vim.inspect(response))
  end
  local preferred = {}
  for _, action in ipairs(response.result or {}) do
    if action.isPreferred then
      table.insert(preferred, action)
    end
  end
  if #preferred ~= 1 then
    fail('want exactly one preferred code action, got ' .. vim.inspect(response.result))
  end
  local action = preferred[1]
  if action.kind ~= 'quickfix' or not vim.startswith(action.title or '', 'asyncmig (AM501): ') then
    fail('the preferred action is not an AM501 quickfix: ' .. vim.inspect(action))
  end
  log('applying "' .. action.title .. '"')

  -- 4. Apply it the way Neovim's own code_action does: resolve when the edit is missing.
  if not action.edit and not action.command then
    local resolved = client.request_sync('codeAction/resolve', action, STEP_TIMEOUT_MS, buf)
    if not resolved or resolved.err or not resolved.result then
      fail('codeAction/resolve failed: ' .. vim.inspect(resolved))
    end
    action = resolved.result
  end
  local before = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
  if action.edit then
    vim.lsp.util.apply_workspace_edit(action.edit, client.offset_encoding)
  end
  if action.command then
    local command = type(action.command) == 'table' and action.command or action
    local result = client.request_sync('workspace/executeCommand', {
      command = command.command,
      arguments = command.arguments,
    }, STEP_TIMEOUT_MS, buf)
    if not result or result.err then
      fail('workspace/executeCommand failed: ' .. vim.inspect(result))
    end
  end
  wait_for('the fix to change the buffer', function()
    return table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n') ~= before
  end)
  local fixed = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), '\n')
  if fixed:find('utcnow', 1, true) then
    fail('the buffer still calls utcnow() after the fix:\n' .. fixed)
  end
  wait_for('AM501 to disappear after the fix', function()
    return published[uri] ~= nil and #am501() == 0
  end)
  log('fix applied, diagnostic gone')

  -- >>> migrate step: one "Migrate to async" code action on rutas.py (see migrate_step) >>>
  migrate_step(client, client_id)
  -- <<< migrate step <<<

  -- 5. Save, then quit the server the way :qa would, and expect a clean shutdown.
  vim.cmd('write')
  vim.lsp.stop_client(client_id)
  wait_for('the server to exit after shutdown', function()
    return exit_code ~= nil
  end)
  if exit_code ~= 0 then
    fail('the server exited with code ' .. exit_code .. ' after shutdown+exit, want 0')
  end
  log('saved; server exited cleanly')
end

local ok, err = xpcall(run, function(e)
  if type(e) == 'table' and e.e2e then
    return e.e2e
  end
  return debug.traceback(tostring(e), 2)
end)
if ok then
  log('PASS')
  vim.cmd('cquit 0')
else
  log('FAIL: ' .. tostring(err))
  vim.cmd('cquit 1')
end
