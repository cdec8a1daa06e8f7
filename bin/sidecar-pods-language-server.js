#!/usr/bin/env node
'use strict';
// Any LSP editor: `sidecar-pods-language-server --stdio`. Without a transport flag, stdio is used.
const transports = ['--stdio', '--node-ipc', '--socket', '--pipe'];
if (!process.argv.slice(2).some((a) => transports.some((t) => a === t || a.startsWith(t + '=')))) {
  process.argv.push('--stdio');
}
require('../dist/start-server.js');
