// The diagram as a browser draws it (headless Chromium, real fonts): the CLI's standalone SVG and
// the webview page with its real bundle, CSP and message handling (acquireVsCodeApi stubbed).
// Checks that no two boxes overlap and no text runs out of its box (getBBox), that names full of
// markup show literally and run nothing, and that the page ignores malformed messages, sends node
// ids on click, marks the highlighted node and keeps its zoom across updates; that in a panel of
// half the window (700 px of 1400) the 8-container, 10-volume pod with its Service is laid out in
// that width with every label at least the editor's font size in screen pixels and no label over
// another. Screenshots $E2E_ROOT/render-700.png and render-1400.png.
// Prints `N passed, N failed`; writes the counts to $E2E_RESULTS if set. Screenshot:
// $E2E_ROOT/render-webview.png.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { DiagramModel } from '../../shared/src/diagram-model';
import { diagramPageHtml } from '../../webview/src/page';
import { svgDocument } from '../../webview/src/render';
import { DARK, LIGHT } from '../../webview/src/theme';
import { HOSTILE, bigPodYaml, diagramOf, eightContainersYaml, hostilePodYaml } from '../support/diagram-fixtures';
import { assert, Checks, log, waitUntil } from './checks';
import { E2E_ROOT, launchBrowser, type Page } from './playwright';

const REPO = path.resolve(__dirname, '../../..');
const checks = new Checks('render');
const check = checks.check.bind(checks);

/**
 * In the page: every box (container, volume, port chip) as its getBBox, which includes any text
 * that overflows its rectangle; pairs that overlap; texts that leave the box they belong to.
 */
const LAYOUT_PROBE = `(() => {
  const boxes = [...document.querySelectorAll('svg [data-node]')].filter((g) =>
    /\\b(sp-container|sp-ghost|sp-volume|sp-missing|sp-chip|sp-service)\\b/.test(g.getAttribute('class') || '') ||
    /\\bsp-row\\b/.test(g.getAttribute('class') || ''));
  const frame = (g) => {
    const rect = g.querySelector(':scope > rect');
    const b = g.getBBox();
    return { id: g.getAttribute('data-node'), row: /\\bsp-row\\b/.test(g.getAttribute('class')), x: b.x, y: b.y, w: b.width, h: b.height,
      rx: rect ? rect.x.baseVal.value : b.x, rw: rect ? rect.width.baseVal.value : b.width };
  };
  const all = boxes.map(frame);
  const overlaps = [];
  // rows sit inside their container's box, so only boxes are compared pairwise
  const solid = all.filter((b) => !b.row);
  for (let i = 0; i < solid.length; i++) for (let j = i + 1; j < solid.length; j++) {
    const a = solid[i], b = solid[j], e = 0.5;
    if (a.x + a.w - e > b.x && b.x + b.w - e > a.x && a.y + a.h - e > b.y && b.y + b.h - e > a.y) overlaps.push(a.id + ' / ' + b.id);
  }
  // text may not leave the rectangle it is drawn in
  const overflow = all.filter((b) => b.x < b.rx - 0.5 || b.x + b.w > b.rx + b.rw + 0.5).map((b) => b.id);
  return { count: solid.length, rows: all.length - solid.length, overlaps, overflow };
})()`;

interface LayoutReport {
  count: number;
  rows: number;
  overlaps: string[];
  overflow: string[];
}

async function checkLayout(page: Page, minBoxes: number): Promise<void> {
  const r = await page.evaluate<LayoutReport>(LAYOUT_PROBE);
  log(`  ${r.count} boxes, ${r.rows} rows`);
  assert(r.count >= minBoxes, `expected at least ${minBoxes} boxes, found ${r.count}`);
  assert(r.overlaps.length === 0, `overlapping boxes: ${r.overlaps.join(', ')}`);
  assert(r.overflow.length === 0, `text runs out of its box: ${r.overflow.join(', ')}`);
}

/** The hostile strings are shown as text (in tooltips in full) and nothing ran. */
async function checkInert(page: Page, scope: string): Promise<void> {
  const r = await page.evaluate<{ pwned: unknown; elements: string[]; titles: string }>(`(() => ({
    pwned: window.__pwned ?? null,
    elements: [...document.querySelectorAll('${scope} script, ${scope} img, ${scope} foreignObject, ${scope} iframe, ${scope} [onerror], ${scope} [onload]')].map((e) => e.outerHTML),
    titles: [...document.querySelectorAll('${scope} title, ${scope} text')].map((t) => t.textContent).join('\\n'),
  }))()`);
  assert(r.pwned === null, `a script ran: window.__pwned = ${String(r.pwned)}`);
  assert(r.elements.length === 0, `markup from the model became elements: ${r.elements.join(' ')}`);
  for (const s of HOSTILE) assert(r.titles.includes(s), `${JSON.stringify(s)} is not shown literally`);
}

const STUB = `
  window.__posted = [];
  window.__state = undefined;
  window.acquireVsCodeApi = () => ({
    postMessage: (m) => window.__posted.push(JSON.parse(JSON.stringify(m))),
    getState: () => window.__state,
    setState: (s) => { window.__state = s; },
  });
`;

async function posted(page: Page): Promise<{ type: string; [k: string]: unknown }[]> {
  return page.evaluate('window.__posted');
}

function send(page: Page, message: unknown): Promise<unknown> {
  return page.evaluate(`window.postMessage(${JSON.stringify(message)}, '*')`);
}

/**
 * In the page: every text of the picture with its font size in screen pixels (computed size times
 * the scale from SVG units to the screen, so a picture scaled down to fit would fail), and every
 * pair of texts whose boxes on the screen overlap.
 */
const textProbe = (fontPx: number): string => `(() => {
  const texts = [...document.querySelectorAll('#canvas svg text')];
  const sizes = texts.map((t) => ({ text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a }));
  const boxes = texts.map((t) => ({ text: t.textContent, r: t.getBoundingClientRect() }));
  const overlaps = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i].r, b = boxes[j].r, e = 0.5;
    if (a.right - e > b.left && b.right - e > a.left && a.bottom - e > b.top && b.bottom - e > a.top) overlaps.push(boxes[i].text + ' / ' + boxes[j].text);
  }
  const svg = document.querySelector('#canvas svg');
  return { count: texts.length, small: sizes.filter((s) => !(s.px >= ${fontPx} - 0.01)).slice(0, 8), overlaps: overlaps.slice(0, 8),
    width: svg.getBoundingClientRect().width, panel: document.getElementById('canvas').clientWidth,
    arrows: document.querySelectorAll('#canvas path.sp-traffic').length, broken: document.querySelectorAll('#canvas path.sp-broken').length };
})()`;

/** VS Code's default editor font size on Linux; the page gets it as the webview does, in a CSS variable. */
const EDITOR_FONT_PX = 14;

interface TextReport {
  count: number;
  small: { text: string; px: number }[];
  overlaps: string[];
  width: number;
  panel: number;
  arrows: number;
  broken: number;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(E2E_ROOT, 'render-'));
  const big = diagramOf(bigPodYaml());
  const hostile = diagramOf(hostilePodYaml());
  const files = {
    bigLight: path.join(dir, 'big-light.svg'),
    bigDark: path.join(dir, 'big-dark.svg'),
    hostile: path.join(dir, 'hostile.svg'),
    page: path.join(dir, 'index.html'),
  };
  writeFileSync(files.bigLight, svgDocument(big.pods, LIGHT));
  writeFileSync(files.bigDark, svgDocument(big.pods, DARK));
  writeFileSync(files.hostile, svgDocument(hostile.pods, LIGHT));
  copyFileSync(path.join(REPO, 'dist', 'webview', 'diagram.js'), path.join(dir, 'diagram.js'));
  writeFileSync(
    files.page,
    diagramPageHtml({ nonce: 'cmVuZGVyLXRlc3Q=', cspSource: "'self'", scriptUri: 'diagram.js' }),
  );

  const { page, close } = await launchBrowser();
  const consoleLines: string[] = [];
  page.on('console', (m) => consoleLines.push(m.text()));
  page.on('pageerror', (e) => consoleLines.push(`pageerror: ${String(e)}`));
  try {
    for (const [name, file] of [
      ['light', files.bigLight],
      ['dark', files.bigDark],
    ] as const) {
      await check(`CLI SVG (${name}): 12 containers and 10 volumes, no overlap, no text overflow`, async () => {
        await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
        await checkLayout(page, 12 + 10 + 2);
      });
    }

    await check('CLI SVG: markup in names, images and mount paths is shown as text and runs nothing', async () => {
      await page.goto(pathToFileURL(files.hostile).href, { waitUntil: 'load' });
      await checkInert(page, 'svg');
      await checkLayout(page, 4);
    });

    await page.addInitScript({ content: STUB });
    await page.goto(pathToFileURL(files.page).href, { waitUntil: 'load' });

    await check('webview page: loads under its CSP and says ready', async () => {
      await waitUntil(page, 'ready', `window.__posted.some((m) => m.type === 'ready')`);
      const violations = consoleLines.filter((l) => /Content Security Policy|Refused to/i.test(l));
      assert(violations.length === 0, `CSP violations: ${violations.join('\n')}`);
    });

    await check('webview page: hostile names are drawn as text through the DOM and run nothing', async () => {
      await send(page, { type: 'model', model: hostile, fileName: '<img src=x onerror="window.__pwned=9">.yaml' });
      await waitUntil(page, 'the diagram', `!!document.querySelector('#canvas svg [data-node]')`);
      await checkInert(page, '#canvas');
      const file = await page.evaluate<string>(`document.getElementById('file').textContent`);
      assert(file === '<img src=x onerror="window.__pwned=9">.yaml', `file name shown as ${file}`);
      assert((await page.evaluate(`window.__pwned ?? null`)) === null, 'the file name ran');
    });

    await check('webview page: ignores malformed and unknown messages', async () => {
      const before = await page.evaluate<string>(`document.getElementById('canvas').innerHTML`);
      for (const bad of [
        { type: 'model', model: { uri: 'x', pods: [{ id: 'p' }] }, fileName: 'x' },
        {
          type: 'model',
          model: JSON.parse(JSON.stringify(hostile).replace('"port":8080', '"port":"8080"')),
          fileName: 'x',
        },
        { type: 'eval', code: 'window.__pwned = 4' },
        'model',
        null,
      ]) {
        await send(page, bad);
      }
      await page.waitForTimeout(200);
      const after = await page.evaluate<string>(`document.getElementById('canvas').innerHTML`);
      assert(before === after, 'a malformed message changed the picture');
      assert((await page.evaluate(`window.__pwned ?? null`)) === null, 'a message ran code');
    });

    await check('webview page: big pod without overlaps; a click sends the node id; highlight marks it', async () => {
      await send(page, { type: 'model', model: big, fileName: 'big.yaml' });
      await waitUntil(page, 'the big pod', `!!document.querySelector('#canvas [data-node="containers[6]"]')`);
      await checkLayout(page, 12 + 10 + 2);
      // the header: the rows below it are nodes of their own
      await page.locator('#canvas g.sp-container[data-node="containers[1]"] text.sp-name').click();
      await waitUntil(page, 'a reveal message', `window.__posted.some((m) => m.type === 'reveal')`);
      const reveal = (await posted(page)).filter((m) => m.type === 'reveal').pop();
      assert(
        reveal?.['podId'] === big.pods[0]!.id && reveal['nodeId'] === 'containers[1]',
        `sent ${JSON.stringify(reveal)}`,
      );
      await send(page, { type: 'highlight', podId: big.pods[0]!.id, nodeId: 'volumes[3]' });
      await waitUntil(
        page,
        'the highlighted volume',
        `document.querySelector('[data-node="volumes[3]"]').classList.contains('sp-selected')`,
      );
      const marked = await page.evaluate<number>(`document.querySelectorAll('#canvas .sp-selected').length`);
      assert(marked === 1, `${marked} nodes marked as selected`);
    });

    await check(
      'webview page: zoom scales the labels, the layout takes the width it leaves; zoom and scroll survive an update',
      async () => {
        // zoom is the size of the labels on screen; the picture is laid out again for the width left
        const label = (): Promise<number> =>
          page.evaluate(
            `(() => { const t = document.querySelector('#canvas svg text.sp-name'); return parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a; })()`,
          );
        const width = (): Promise<number> =>
          page.evaluate(`Number(document.querySelector('#canvas svg').getAttribute('width'))`);
        const w1 = await label();
        await page.locator('#zoom-in').click();
        await page.locator('#zoom-in').click();
        const w2 = await label();
        assert(w2 > w1 * 1.15, `zoom in: labels ${w1} -> ${w2} px`);
        const zoomedWidth = await width();
        await page.evaluate(`document.getElementById('canvas').scrollTop = 400`);
        await send(page, { type: 'model', model: big, fileName: 'big.yaml' });
        await page.waitForTimeout(200);
        assert((await label()) === w2, 'zoom lost on update');
        assert((await width()) === zoomedWidth, 'the picture changed width on an update');
        const top = await page.evaluate<number>(`document.getElementById('canvas').scrollTop`);
        assert(top === 400, `scroll lost on update: ${top}`);
        const state = await page.evaluate<{ zoom?: number }>('window.__state');
        assert(
          state.zoom !== undefined && state.zoom > 1,
          `zoom not kept in the webview state: ${JSON.stringify(state)}`,
        );
        await page.locator('#zoom-fit').click();
        const fitted = await width();
        const room = await page.evaluate<number>(`document.getElementById('canvas').clientWidth`);
        assert(fitted <= room && fitted > room * 0.9, `fit: ${fitted} px in ${room} px`);
        await page.locator('#zoom-reset').click();
        await page.evaluate(`document.getElementById('canvas').scrollTop = 0`);
      },
    );

    const eight = diagramOf(eightContainersYaml());
    for (const width of [700, 1400]) {
      await check(
        `webview page at ${width} px: 8 containers, 10 volumes and a Service, every label at least the editor's ${EDITOR_FONT_PX} px, none over another`,
        async () => {
          await page.setViewportSize({ width, height: 900 });
          await page.evaluate(
            `document.documentElement.style.setProperty('--vscode-editor-font-size', '${EDITOR_FONT_PX}px')`,
          );
          await page.locator('#zoom-reset').click();
          await send(page, { type: 'model', model: eight, fileName: 'eight.yaml' });
          await waitUntil(
            page,
            'the eight-container pod',
            `!!document.querySelector('#canvas [data-node="service[0]"]')`,
          );
          await page.waitForTimeout(300); // the resize observer's redraw
          const r = await page.evaluate<TextReport>(textProbe(EDITOR_FONT_PX));
          log(
            `  ${r.count} texts, picture ${r.width} px in a ${r.panel} px panel, ${r.arrows} arrows, ${r.broken} broken`,
          );
          assert(r.count > 80, `only ${r.count} texts`);
          assert(r.small.length === 0, `texts smaller than ${EDITOR_FONT_PX} px: ${JSON.stringify(r.small)}`);
          assert(r.overlaps.length === 0, `texts over each other: ${r.overlaps.join(', ')}`);
          // the layout takes the panel's width: not wider (no sideways scrolling), not scaled down
          assert(r.width <= r.panel && r.width > r.panel * 0.95, `picture ${r.width} px in ${r.panel} px`);
          assert(r.arrows >= 1 && r.broken === 1, `${r.arrows} traffic arrows, ${r.broken} broken`);
          await checkLayout(page, 8 + 10 + 1);
          await page.screenshot({ path: path.join(E2E_ROOT, `render-${width}.png`) });
        },
      );
    }
    await page.setViewportSize({ width: 1400, height: 900 });

    await check('webview page: a file with several pods shows a picker', async () => {
      const two: DiagramModel = diagramOf(`${bigPodYaml()}---\n${hostilePodYaml()}`);
      await send(page, { type: 'model', model: two, fileName: 'two.yaml' });
      await waitUntil(page, 'the picker', `!document.getElementById('pod').hidden`);
      const options = await page.evaluate<string[]>(
        `[...document.querySelectorAll('#pod option')].map((o) => o.textContent)`,
      );
      assert(options.length === 2 && options[1]!.includes(HOSTILE[0]!), `options: ${JSON.stringify(options)}`);
      await send(page, { type: 'model', model: big, fileName: 'big.yaml' });
      await waitUntil(page, 'the picker to hide', `document.getElementById('pod').hidden`);
    });
  } finally {
    await page.screenshot({ path: path.join(E2E_ROOT, 'render-webview.png') });
    await close();
    rmSync(dir, { recursive: true, force: true });
  }
}

checks.run(main);
