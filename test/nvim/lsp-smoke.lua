-- The language server in a second LSP client: Neovim's built-in client (0.7+), headless.
-- usage: LSP_CMD='node bin/sidecar-pods-language-server.js --stdio' LSP_FILE=examples/x.yaml \
--        EXPECT='port-conflict,missing-volume' nvim --headless --clean -u NONE -c 'luafile test/nvim/lsp-smoke.lua'
-- Passes when every rule id in EXPECT shows up among the diagnostics of LSP_FILE.
local cmd = vim.split(os.getenv('LSP_CMD'), ' ', { trimempty = true })
local file = os.getenv('LSP_FILE')
local expect = vim.split(os.getenv('EXPECT') or '', ',', { trimempty = true })
local timeout = tonumber(os.getenv('LSP_TIMEOUT_MS') or '20000')
local function out(s) io.stdout:write(s .. '\n') end

local got, exited = nil, nil
local client_id = vim.lsp.start_client({
  name = 'sidecar-pods',
  cmd = cmd,
  root_dir = vim.fn.fnamemodify(file, ':p:h'),
  settings = { sidecarPods = { kubernetesVersion = '1.33' } }, -- answered to workspace/configuration
  on_exit = function(code) exited = code end,
  handlers = {
    ['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
      vim.lsp.diagnostic.on_publish_diagnostics(err, result, ctx, config)
      if result and #result.diagnostics > 0 then got = result end
    end,
  },
})
if not client_id then out('FAIL could not start ' .. table.concat(cmd, ' ')); vim.cmd('cquit 2') end

vim.cmd('edit ' .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
vim.bo[buf].filetype = 'yaml'
vim.lsp.buf_attach_client(buf, client_id)

local ok = vim.wait(timeout, function() return got ~= nil or exited ~= nil end, 50)
local seen = {}
if ok and got then
  for _, d in ipairs(got.diagnostics) do
    seen[d.code] = true
    out(string.format('diagnostic %d:%d [%s] %s', d.range.start.line + 1, d.range.start.character + 1, d.code, d.message))
  end
end
local missing = {}
for _, id in ipairs(expect) do if not seen[id] then table.insert(missing, id) end end
local code = 0
if not got then
  out('FAIL no diagnostics within ' .. timeout .. 'ms (exited=' .. tostring(exited) .. ')'); code = 1
elseif #missing > 0 then
  out('FAIL missing: ' .. table.concat(missing, ',')); code = 1
else
  out('PASS neovim received ' .. #got.diagnostics .. ' diagnostics incl. ' .. table.concat(expect, ','))
end
vim.lsp.stop_client(client_id)
vim.wait(2000, function() return vim.tbl_isempty(vim.lsp.get_active_clients()) end, 50)
vim.cmd('cquit ' .. code)
