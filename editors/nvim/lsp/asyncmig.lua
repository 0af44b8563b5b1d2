-- asyncmig language server for Neovim 0.11+.
--
-- Copy this file to ~/.config/nvim/lsp/asyncmig.lua (any `lsp/` directory on
-- 'runtimepath' works) and add to init.lua:
--
--   vim.lsp.enable('asyncmig')
--
-- Neovim merges this table with anything set through vim.lsp.config('asyncmig', {...}).
-- The end-to-end test (editors/nvim/test/e2e.lua) starts the server from this very table.

---@type vim.lsp.Config
return {
  -- `asyncmig` must be on $PATH; otherwise put the absolute path of the binary here.
  cmd = { 'asyncmig', 'serve' },
  filetypes = { 'python' },
  -- The nearest directory holding one of these is the workspace root the server indexes.
  root_markers = { 'pyproject.toml', 'setup.cfg', '.git' },
  -- Sent as initializationOptions; same keys as [tool.asyncmig] in pyproject.toml
  -- (kebab-case or camelCase). pyproject.toml stays the place for project-wide settings.
  init_options = {
    -- true: source.fixAll.asyncmig also applies unsafe fixes.
    unsafeFixes = false,
  },
}
