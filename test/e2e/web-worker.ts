// The browser language server (dist/browser/server.js) as VS Code for the Web runs it: in a Worker
// of headless Chromium, speaking LSP by postMessage. The page plays the client: it answers
// `sidecarPods/readFile` from a small in-memory workspace (as the web extension answers it with
// vscode.workspace.fs) and records what the server sends. Checks: initialize, diagnostics of a pod
// with known findings, the workspace's .sidecar-pods.yaml and kustomization read through the
// client and applied, nothing asked for outside the workspace folder, the diagram request.
// Prints `N passed, N failed`; writes the counts to $E2E_RESULTS if set. Skips (exit 0, saying
// why) when Chromium or playwright-core is absent.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { assert, Checks, waitUntil } from './checks';
import { E2E_ROOT, launchBrowser, type Page } from './playwright';

const REPO = path.resolve(__dirname, '../../..');
const SERVER_BUNDLE = path.join(REPO, 'dist/browser/server.js');
const checks = new Checks('web-worker');

const FOLDER = 'vscode-test-web://mount/ws';
const POD = `apiVersion: v1
kind: Pod
metadata:
  name: web
spec:
  containers:
    - name: app
      image: nginx:latest
      ports:
        - containerPort: 8080
    - name: proxy
      image: envoyproxy/envoy:v1.31.0
      ports:
        - containerPort: 8080
`;
/** A strategic-merge patch: no selector, no image; judged whole, the schema rule reports both. */
const PATCH = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      containers:
        - name: app
          resources: { limits: { memory: 1Gi } }
`;
/** The workspace the page serves to the server, by URI. */
const FILES: Record<string, string> = {
  [`${FOLDER}/.sidecar-pods.yaml`]: 'rules:\n  image-tag: error\nignore:\n  - ignored/**\n',
  [`${FOLDER}/k/kustomization.yaml`]: 'resources:\n  - ../other/patch.yaml\npatches:\n  - path: patch.yaml\n',
};

/** The page's client: a JSON-RPC peer of the worker over postMessage. */
const HARNESS = `
window.lsp = (() => {
  const worker = new Worker('/server.js');
  const files = {};
  const received = [];
  const readRequests = [];
  const pending = new Map();
  let nextId = 1;
  worker.onmessage = (e) => {
    const m = e.data;
    received.push(m);
    if (m.method !== undefined && m.id !== undefined) {
      let result = null;
      if (m.method === 'sidecarPods/readFile') {
        readRequests.push(m.params.uri);
        const text = files[m.params.uri];
        result = text === undefined ? { kind: 'missing' } : { kind: 'file', text, mtime: 1, size: text.length };
      }
      worker.postMessage({ jsonrpc: '2.0', id: m.id, result });
    } else if (m.id !== undefined) {
      pending.get(m.id)?.(m);
      pending.delete(m.id);
    }
  };
  worker.onerror = (e) => received.push({ workerError: String(e.message) });
  return {
    files, received, readRequests,
    request(method, params) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        worker.postMessage({ jsonrpc: '2.0', id, method, params });
      });
    },
    notify(method, params) { worker.postMessage({ jsonrpc: '2.0', method, params }); },
    diagnostics(uri) {
      const all = received.filter((m) => m.method === 'textDocument/publishDiagnostics' && m.params.uri === uri);
      return all.length ? all[all.length - 1].params.diagnostics : null;
    },
  };
})();`;

interface Diagnostic {
  code?: string;
  severity?: number;
  message: string;
}

function serve(): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.url === '/server.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(readFileSync(SERVER_BUNDLE));
    } else if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<!doctype html><title>web worker server</title>');
    } else {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let version = 0;
/** Opens a document and waits for its diagnostics. */
async function open(page: Page, uri: string, text: string): Promise<Diagnostic[]> {
  const doc = { uri, languageId: 'yaml', version: ++version, text };
  await page.evaluate(`lsp.notify('textDocument/didOpen', ${JSON.stringify({ textDocument: doc })})`);
  await waitUntil(page, `diagnostics of ${uri}`, `lsp.diagnostics(${JSON.stringify(uri)}) !== null`);
  return page.evaluate<Diagnostic[]>(`lsp.diagnostics(${JSON.stringify(uri)})`);
}

const codes = (ds: Diagnostic[]): string[] => ds.map((d) => String(d.code)).sort();

async function main(): Promise<void> {
  const playwright = path.join(E2E_ROOT, 'tools/node_modules/playwright-core');
  const chromium = process.env['CHROMIUM'] ?? '/usr/bin/chromium';
  if (!existsSync(chromium) || !existsSync(playwright)) {
    console.log(`web-worker: SKIPPED: needs ${chromium} and ${playwright} (scripts/e2e.sh installs both)`);
    process.exit(0);
  }
  assert(existsSync(SERVER_BUNDLE), `${SERVER_BUNDLE} is missing: run npm run build`);
  const http = await serve();
  const { page, close } = await launchBrowser();
  try {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${(http.address() as AddressInfo).port}/`);
    await page.evaluate(HARNESS);
    await page.evaluate(`Object.assign(lsp.files, ${JSON.stringify(FILES)})`);

    await check('initialize: the worker answers with its capabilities', async () => {
      const init = {
        processId: null,
        rootUri: FOLDER,
        capabilities: {},
        workspaceFolders: [{ uri: FOLDER, name: 'ws' }],
      };
      const answer = await page.evaluate<{ result?: { capabilities?: Record<string, unknown> } }>(
        `lsp.request('initialize', ${JSON.stringify(init)})`,
      );
      const caps = answer.result?.capabilities ?? {};
      assert(caps['hoverProvider'] === true && caps['codeActionProvider'], `capabilities: ${JSON.stringify(caps)}`);
      await page.evaluate(`lsp.notify('initialized', {})`);
      await waitUntil(
        page,
        'the log line that says what the browser server cannot do',
        `lsp.received.some((m) => m.method === 'window/logMessage' && /Running in the browser/.test(m.params.message))`,
      );
    });

    await check('a pod: its findings, with the workspace config applied (image-tag raised to error)', async () => {
      const ds = await open(page, `${FOLDER}/app/pod.yaml`, POD);
      assert(
        JSON.stringify(codes(ds)) ===
          JSON.stringify(['classic-sidecar', 'image-tag', 'port-conflict', 'resources', 'resources']),
        `codes: ${codes(ds).join(', ')}`,
      );
      const tag = ds.find((d) => d.code === 'image-tag');
      assert(tag?.severity === 1, `image-tag severity ${tag?.severity} (1 = error, from .sidecar-pods.yaml)`);
      const asked = await page.evaluate<string[]>('lsp.readRequests');
      assert(asked.includes(`${FOLDER}/.sidecar-pods.yaml`), `asked for ${asked.join(', ')}`);
      assert(asked.includes(`${FOLDER}/app/.sidecar-pods.yaml`), `asked for ${asked.join(', ')}`);
    });

    await check('the config file ignores ignored/**', async () => {
      const ds = await open(page, `${FOLDER}/ignored/pod.yaml`, POD);
      assert(ds.length === 0, `codes: ${codes(ds).join(', ')}`);
    });

    await check('a kustomize patch named by its kustomization is a partial object', async () => {
      const whole = await open(page, `${FOLDER}/other/patch.yaml`, PATCH);
      assert(codes(whole).includes('schema'), `outside the kustomization: ${codes(whole).join(', ')}`);
      const patch = await open(page, `${FOLDER}/k/patch.yaml`, PATCH);
      assert(!codes(patch).includes('schema'), `as a patch: ${patch.map((d) => d.message).join(' | ')}`);
    });

    await check('outside the workspace folder: default settings, nothing asked of the client', async () => {
      const before = await page.evaluate<number>('lsp.readRequests.length');
      const ds = await open(page, 'vscode-test-web://mount/elsewhere/pod.yaml', POD);
      assert(ds.find((d) => d.code === 'image-tag')?.severity === 2, `image-tag: ${JSON.stringify(ds)}`);
      const asked = await page.evaluate<string[]>('lsp.readRequests');
      assert(asked.length === before, `asked for ${asked.slice(before).join(', ')}`);
      assert(
        asked.every((u) => u.startsWith(`${FOLDER}/`)),
        `asked outside the folder: ${asked.filter((u) => !u.startsWith(`${FOLDER}/`)).join(', ')}`,
      );
    });

    await check('the diagram request draws the pod', async () => {
      const answer = await page.evaluate<{ result?: { pods?: { containers?: { name: string }[] }[] } }>(
        `lsp.request('sidecarPods/diagram', ${JSON.stringify({ uri: `${FOLDER}/app/pod.yaml` })})`,
      );
      const names = answer.result?.pods?.[0]?.containers?.map((c) => c.name) ?? [];
      assert(JSON.stringify(names) === '["app","proxy"]', `diagram: ${JSON.stringify(answer).slice(0, 400)}`);
    });

    await check('no worker or page error', async () => {
      const workerErrors = await page.evaluate<unknown[]>('lsp.received.filter((m) => m.workerError)');
      assert(workerErrors.length === 0 && errors.length === 0, JSON.stringify({ workerErrors, errors }));
    });
  } finally {
    await close();
    http.close();
  }
}

const check = checks.check.bind(checks);
checks.run(main);
