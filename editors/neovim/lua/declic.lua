-- declic for Neovim's built-in LSP client (Neovim 0.7 and later).
--
--   vim.opt.runtimepath:append("/path/to/declic/editors/neovim")
--   require("declic").setup({ cmd = { "declic", "lsp" }, account = nil })
--
-- `.declic` files get the `declic` filetype and one `declic lsp` per rule set folder;
-- scenario files (`*.scenarios.toml`) are attached to it too.
local M = {}

local clients = {}

-- The rule set's folder: the nearest folder above the file with a declic.toml.
local function root_of(file)
  local dir = vim.fn.fnamemodify(file, ":p:h")
  local found = vim.fn.findfile("declic.toml", dir .. ";")
  if found ~= "" then
    return vim.fn.fnamemodify(found, ":p:h")
  end
  return dir
end

local function attach(opts, buf)
  local file = vim.api.nvim_buf_get_name(buf)
  local root = root_of(file)
  local id = clients[root]
  if id == nil or vim.lsp.get_client_by_id(id) == nil then
    id = vim.lsp.start_client({
      name = "declic",
      cmd = opts.cmd or { "declic", "lsp" },
      root_dir = root,
      init_options = { account = opts.account },
    })
    clients[root] = id
  end
  if id then
    vim.lsp.buf_attach_client(buf, id)
  end
end

function M.setup(opts)
  opts = opts or {}
  local group = vim.api.nvim_create_augroup("declic", { clear = true })
  vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
    group = group,
    pattern = "*.declic",
    callback = function()
      vim.bo.filetype = "declic"
      vim.bo.commentstring = "# %s"
    end,
  })
  vim.api.nvim_create_autocmd("FileType", {
    group = group,
    pattern = "declic",
    callback = function(args)
      attach(opts, args.buf)
    end,
  })
  vim.api.nvim_create_autocmd({ "BufRead", "BufNewFile" }, {
    group = group,
    pattern = "*.scenarios.toml",
    callback = function(args)
      attach(opts, args.buf)
    end,
  })
end

return M
