-- asyncmig language server for Neovim 0.8–0.10 (no vim.lsp.config/vim.lsp.enable there).
-- Paste into init.lua. On 0.11+ use lsp/asyncmig.lua instead.
vim.api.nvim_create_autocmd('FileType', {
  pattern = 'python',
  group = vim.api.nvim_create_augroup('asyncmig_lsp', { clear = true }),
  callback = function(args)
    local root_markers = { 'pyproject.toml', 'setup.cfg', '.git' }
    local marker = vim.fs.find(root_markers, {
      upward = true,
      path = vim.fs.dirname(vim.api.nvim_buf_get_name(args.buf)),
    })[1]
    vim.lsp.start({
      name = 'asyncmig',
      -- `asyncmig` must be on $PATH; otherwise put the absolute path of the binary here.
      cmd = { 'asyncmig', 'serve' },
      -- No marker found: the file's own directory is the root (single-file mode).
      root_dir = marker and vim.fs.dirname(marker) or vim.fs.dirname(vim.api.nvim_buf_get_name(args.buf)),
      -- Same keys as [tool.asyncmig] in pyproject.toml (kebab-case or camelCase).
      init_options = { unsafeFixes = false },
    }, { bufnr = args.buf })
  end,
})
