-- asyncmig for nvim-lspconfig users (the `configs` API of nvim-lspconfig before it moved to
-- lsp/*.lua; on Neovim 0.11+ prefer lsp/asyncmig.lua with vim.lsp.enable). Paste into init.lua.
local configs = require('lspconfig.configs')
local util = require('lspconfig.util')

if not configs.asyncmig then
  configs.asyncmig = {
    default_config = {
      -- `asyncmig` must be on $PATH; otherwise put the absolute path of the binary here.
      cmd = { 'asyncmig', 'serve' },
      filetypes = { 'python' },
      root_dir = util.root_pattern('pyproject.toml', 'setup.cfg', '.git'),
      single_file_support = true,
      -- Same keys as [tool.asyncmig] in pyproject.toml (kebab-case or camelCase).
      init_options = { unsafeFixes = false },
    },
    docs = {
      description = [[
asyncmig: diagnostics and fixes for Python sync→async migrations (SQLAlchemy AsyncSession,
redis.asyncio, FastAPI). https://github.com/asyncmig/asyncmig
]],
    },
  }
end

require('lspconfig').asyncmig.setup({})
