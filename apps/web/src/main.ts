import { dimAt, isSwinV1Config, normalizeToTensor, resizeAndCrop, toFloat32, toRgbImage, type RgbImage, type SwinV1Config, type TensorData } from '@swin/core';
import { AttentionProbe, type AttentionMaps } from './attention-probe.js';
import { outputOf, topK } from '@swin/pipeline/browser';
import { BACKEND_LABELS, backendLabel } from './backend-labels.js';
import { classify, compileModel, type CompiledModel } from './classifier.js';
import { decodePicture } from './decode-picture.js';
import { loadPageModel, DEFAULT_MODEL_URL, type PageModel } from './default-model.js';
import { backendUnavailable } from './page-backends.js';
import { paintOverlay, cellToken, type OverlayState } from './window-overlay.js';
import { windowLayout } from './window-layout.js';

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const params = new URLSearchParams(location.search);

/** Everything the page knows about the current picture. */
interface PictureState {
  readonly name: string;
  readonly crop: RgbImage;
  readonly input: TensorData<'float32'>;
  readonly decodeMs: number;
  readonly preprocessMs: number;
  attention?: AttentionMaps;
}

const ui = {
  backend: $<HTMLSelectElement>('backend-select'),
  stage: $<HTMLSelectElement>('stage-select'),
  windows: $<HTMLSelectElement>('window-select'),
  frame: $<HTMLSelectElement>('frame-select'),
  overlay: $<HTMLSelectElement>('overlay-select'),
  head: $<HTMLSelectElement>('head-select'),
  view: $<HTMLCanvasElement>('view'),
  caption: $<HTMLParagraphElement>('view-caption'),
  result: $<HTMLDivElement>('result'),
  status: $<HTMLParagraphElement>('status'),
  top5: $<HTMLTableSectionElement>('top5-rows'),
  timings: $<HTMLDListElement>('timings'),
  modelInfo: $<HTMLParagraphElement>('model-info'),
  dropZone: $<HTMLLabelElement>('drop-zone'),
  fileInput: $<HTMLInputElement>('file-input'),
  samples: $<HTMLDivElement>('samples'),
};

let model: PageModel | undefined;
/** The model's config when the window explainer applies (Swin V1), else null. */
let explained: SwinV1Config | null = null;
let probe: AttentionProbe | undefined;
let picture: PictureState | undefined;
// The chosen token as a point of the input picture (fractions of its height and width), so it stays
// on the same spot when the stage, and with it the token size, changes.
let queryPoint: { v: number; u: number } = { v: 0.5, u: 0.5 };
const compiled = new Map<string, Promise<CompiledModel>>();
// Each new request supersedes the previous one; stale results are dropped.
let generation = 0;

function setStatus(state: 'idle' | 'busy' | 'done' | 'error', text: string): void {
  ui.result.dataset['state'] = state;
  ui.status.textContent = text;
}

function compiledOn(id: string): Promise<CompiledModel> {
  let c = compiled.get(id);
  if (!c) {
    c = compileModel(model!, id);
    c.catch(() => compiled.delete(id));
    compiled.set(id, c);
  }
  return c;
}

async function listBackends(): Promise<void> {
  ui.backend.replaceChildren();
  const reasons = await Promise.all(BACKEND_LABELS.map((o) => backendUnavailable(o.id)));
  BACKEND_LABELS.forEach((o, i) => {
    const el = document.createElement('option');
    el.value = o.id;
    el.textContent = reasons[i] ? `${o.label} (unavailable)` : o.label;
    el.disabled = reasons[i] !== null;
    el.title = reasons[i] ?? '';
    el.dataset['available'] = String(reasons[i] === null);
    ui.backend.append(el);
  });
  const wanted = params.get('backend');
  const first = BACKEND_LABELS.find((_, i) => reasons[i] === null)!;
  ui.backend.value = wanted && reasons[BACKEND_LABELS.findIndex((o) => o.id === wanted)] === null ? wanted : first.id;
  ui.backend.dataset['ready'] = 'true';
}

function fillViewControls(c: SwinV1Config): void {
  ui.stage.replaceChildren(
    ...c.depths.map((_, s) => {
      const el = document.createElement('option');
      el.value = String(s);
      el.textContent = `stage ${s + 1}`;
      return el;
    }),
  );
  fillHeads();
}

// The stage select lists 0 .. depths.length - 1 (fillViewControls), and a config has one num_heads
// per stage: the read is in range.
function fillHeads(): void {
  const heads = explained!.num_heads[Number(ui.stage.value)]!;
  const keep = ui.head.value;
  ui.head.replaceChildren(
    ...['mean', ...Array.from({ length: heads }, (_, h) => String(h))].map((v) => {
      const el = document.createElement('option');
      el.value = v;
      el.textContent = v === 'mean' ? `mean of ${heads} head${heads > 1 ? 's' : ''}` : `head ${Number(v) + 1}`;
      return el;
    }),
  );
  ui.head.value = [...ui.head.options].some((o) => o.value === keep) ? keep : 'mean';
}

function currentLayout() {
  const c = explained!;
  const stage = Number(ui.stage.value);
  // The stage select lists 0 .. depths.length - 1 (fillViewControls): depths[stage] exists.
  const block = Math.min(Number(ui.windows.value), c.depths[stage]! - 1);
  return windowLayout(c, model!.preprocess.inputSize, stage, block);
}

function redraw(): void {
  if (!model || !picture || !explained) return;
  const layout = currentLayout();
  const g = layout.geometry;
  const q = { y: Math.min(g.height - 1, Math.floor(queryPoint.v * g.height)), x: Math.min(g.width - 1, Math.floor(queryPoint.u * g.width)) };
  const showAttention = ui.overlay.value === 'attention';
  const attention = showAttention && picture.attention ? picture.attention.tokenAttention(layout, q.y, q.x, ui.head.value === 'mean' ? 'mean' : Number(ui.head.value)) : null;
  const state: OverlayState = { picture: picture.crop, layout, frame: ui.frame.value as OverlayState['frame'], query: q, attention };
  paintOverlay(ui.view, state);
  const shiftNote =
    g.shift > 0
      ? `shifted by ${g.shift} token${g.shift > 1 ? 's' : ''}: windows that wrap around the edges are one window after the cyclic shift, and the mask (-100) keeps their pieces from attending to each other`
      : Number(ui.windows.value) === 1
        ? 'no shift here: the map is not larger than the window, so the window shrinks to the map and is not shifted'
        : 'regular windows';
  ui.caption.textContent =
    `Block ${g.block + 1} of stage ${g.stage + 1}: ${g.height}×${g.width} tokens of ${layout.pixelsPerToken}×${layout.pixelsPerToken} input pixels, ` +
    `windows of ${g.window}×${g.window} tokens; ${shiftNote}. ` +
    (!showAttention
      ? 'Each window has its own colour; click a token to see its attention.'
      : attention
        ? 'Dark = little attention from the framed token; click another token.'
        : 'Computing the attention…');
}

function renderResult(name: string, backendId: string, c: CompiledModel, r: Awaited<ReturnType<typeof classify>>, p: PictureState): void {
  // topK of k >= 1 over a head of >= 1 class gives at least one entry: ranked[0] exists.
  const ranked = topK(r.logits, 5, (i) => model!.classes[i] ?? `class ${i}`);
  ui.top5.replaceChildren(
    ...ranked.map((t) => {
      const tr = document.createElement('tr');
      tr.dataset['class'] = t.label;
      const label = document.createElement('td');
      label.textContent = t.label;
      const bar = document.createElement('div');
      bar.className = 'bar';
      bar.style.width = `${(t.score * 100).toFixed(1)}%`;
      label.append(bar);
      const prob = document.createElement('td');
      prob.className = 'p';
      prob.textContent = `${(t.score * 100).toFixed(1)}%`;
      tr.append(label, prob);
      return tr;
    }),
  );
  const rows: [string, number][] = [
    ['decode', p.decodeMs],
    ['preprocess', p.preprocessMs],
    [`compile (${c.model.info.backend})`, c.compileMs],
    ['first run', r.firstRunMs],
    ['warm run', r.warmRunMs],
  ];
  ui.timings.replaceChildren(
    ...rows.flatMap(([k, ms]) => {
      const dt = document.createElement('dt');
      dt.textContent = k;
      const dd = document.createElement('dd');
      dd.textContent = `${ms.toFixed(1)} ms`;
      return [dt, dd];
    }),
  );
  ui.result.dataset['backend'] = backendId;
  ui.result.dataset['picture'] = name;
  ui.result.dataset['top1'] = ranked[0]!.label;
  ui.result.dataset['logits'] = JSON.stringify(Array.from(r.logits));
  setStatus('done', `${name}: ${ranked[0]!.label} (${(ranked[0]!.score * 100).toFixed(1)}%) on ${backendLabel(backendId)}`);
}

/** Classifies the current picture on the selected backend (compiling there first if needed). */
async function run(): Promise<void> {
  if (!model || !picture) return;
  const my = ++generation;
  const backendId = ui.backend.value;
  const p = picture;
  setStatus('busy', `Classifying ${p.name} on ${backendLabel(backendId)}…`);
  try {
    const c = await compiledOn(backendId);
    const r = await classify(c, p.input);
    if (my !== generation) return;
    renderResult(p.name, backendId, c, r, p);
  } catch (e) {
    if (my !== generation) return;
    console.error(e);
    delete ui.result.dataset['top1'];
    setStatus('error', `${backendLabel(backendId)} failed: ${(e as Error).message}`);
  }
}

async function usePicture(name: string, blob: Blob): Promise<void> {
  if (!model) return;
  try {
    const t0 = performance.now();
    const pixels = await decodePicture(blob);
    const t1 = performance.now();
    const crop = resizeAndCrop(toRgbImage(pixels), model.preprocess);
    const input = normalizeToTensor([crop], model.preprocess.mean, model.preprocess.std, model.preprocess.rescaleFactor);
    const t2 = performance.now();
    picture = { name, crop, input, decodeMs: t1 - t0, preprocessMs: t2 - t1 };
    redraw();
    const current = picture;
    // the explainer's probe runs on the reference backend, after the classification so that the
    // timings shown are the chosen backend's alone
    await run();
    if (probe && picture === current) {
      current.attention = await probe.run(input);
      if (picture === current) redraw();
    }
  } catch (e) {
    setStatus('error', `Could not read ${name}: ${(e as Error).message}`);
  }
}

async function useSample(file: string, button?: HTMLButtonElement): Promise<void> {
  for (const b of ui.samples.querySelectorAll('button')) b.classList.toggle('active', b === button);
  const res = await fetch(`examples/${file}`);
  await usePicture(file, await res.blob());
}

async function listSamples(): Promise<void> {
  const res = await fetch('examples/index.json');
  const files = res.ok ? ((await res.json()) as string[]) : [];
  for (const file of files) {
    const b = document.createElement('button');
    b.type = 'button';
    b.dataset['sample'] = file;
    b.title = file;
    const img = document.createElement('img');
    img.src = `examples/${file}`;
    img.alt = file;
    b.append(img);
    b.addEventListener('click', () => void useSample(file, b));
    ui.samples.append(b);
  }
}

function wireInputs(): void {
  ui.fileInput.addEventListener('change', () => {
    const f = ui.fileInput.files?.[0];
    if (f) void usePicture(f.name, f);
  });
  ui.dropZone.addEventListener('dragover', (e) => (e.preventDefault(), ui.dropZone.classList.add('over')));
  ui.dropZone.addEventListener('dragleave', () => ui.dropZone.classList.remove('over'));
  ui.dropZone.addEventListener('drop', (e) => {
    e.preventDefault();
    ui.dropZone.classList.remove('over');
    const f = e.dataTransfer?.files[0];
    if (f) void usePicture(f.name, f);
  });
  ui.backend.addEventListener('change', () => void run());
  ui.stage.addEventListener('change', () => (fillHeads(), redraw()));
  for (const el of [ui.windows, ui.frame, ui.overlay, ui.head]) el.addEventListener('change', redraw);
  ui.view.addEventListener('click', (e) => {
    if (!picture) return;
    const layout = currentLayout();
    const rect = ui.view.getBoundingClientRect();
    const cell = (rect.width / picture.crop.width) * layout.pixelsPerToken;
    const cx = Math.min(layout.geometry.width - 1, Math.floor((e.clientX - rect.left) / cell));
    const cy = Math.min(layout.geometry.height - 1, Math.floor((e.clientY - rect.top) / cell));
    const t = cellToken(layout, ui.frame.value as OverlayState['frame'], cy, cx);
    queryPoint = { v: (t.y + 0.5) / layout.geometry.height, u: (t.x + 0.5) / layout.geometry.width };
    ui.overlay.value = 'attention';
    redraw();
  });
}

/**
 * For the e2e test: classify many picture URLs on one backend through the page's path (fetch,
 * browser decode, preprocessing, the compiled model), `batch` pictures per run (the graph's batch
 * dimension is dynamic), returning each picture's logits.
 */
async function classifyUrls(backendId: string, urls: readonly string[], batch = 16): Promise<number[][]> {
  const m = model;
  if (!m) throw new Error('the model is not loaded yet');
  const c = await compiledOn(backendId);
  const out: number[][] = [];
  for (let start = 0; start < urls.length; start += batch) {
    const crops = await Promise.all(
      urls.slice(start, start + batch).map(async (url) => resizeAndCrop(toRgbImage(await decodePicture(await (await fetch(url)).blob())), m.preprocess)),
    );
    const result = await c.model.run(normalizeToTensor(crops, m.preprocess.mean, m.preprocess.std, m.preprocess.rescaleFactor), ['logits']);
    const logits = outputOf(result, 'logits');
    const k = dimAt(logits.shape, 1, 'logits');
    const data = toFloat32(logits).data;
    for (let i = 0; i < crops.length; i++) out.push(Array.from(data.subarray(i * k, (i + 1) * k)));
  }
  return out;
}
/** For the e2e test: classify one picture inside a Web Worker (see classify-worker.ts). */
function classifyInWorker(backend: string, pictureUrl: string): Promise<unknown> {
  const worker = new Worker(new URL('./classify-worker.ts', import.meta.url), { type: 'module' });
  const absolute = (u: string): string => new URL(u, location.href).href;
  return new Promise((resolve, reject) => {
    worker.onmessage = (e: MessageEvent) => {
      worker.terminate();
      resolve(e.data);
    };
    worker.onerror = (e) => {
      worker.terminate();
      reject(new Error(e.message));
    };
    worker.postMessage({ modelUrl: absolute(params.get('model') ?? DEFAULT_MODEL_URL), pictureUrl: absolute(pictureUrl), backend });
  });
}
(globalThis as unknown as { swinDemo: unknown }).swinDemo = { classifyUrls, classifyInWorker };

async function main(): Promise<void> {
  wireInputs();
  const modelUrl = params.get('model') ?? DEFAULT_MODEL_URL;
  try {
    const t0 = performance.now();
    model = await loadPageModel(modelUrl);
    const c = model.config;
    ui.modelInfo.textContent =
      `${modelUrl}: ${c.family}, depths ${c.depths.join(', ')}, embed ${c.embed_dim}, ` +
      `${c.num_classes} classes, ${(model.bytes / 1e6).toFixed(2)} MB, loaded in ${(performance.now() - t0).toFixed(0)} ms. ` +
      `Input ${model.preprocess.inputSize.join('×')}.`;
    if (isSwinV1Config(c)) {
      explained = c;
      fillViewControls(c);
      probe = await AttentionProbe.create(c, model.weights, model.preprocess.inputSize);
    } else {
      ui.caption.textContent = `The window explainer covers Swin V1; this model is ${c.family}.`;
      document.getElementById('view-controls')!.hidden = true;
    }
  } catch (e) {
    setStatus('error', `Could not load the model from ${modelUrl}: ${(e as Error).message}`);
    return;
  }
  await Promise.all([listBackends(), listSamples()]);
  document.body.dataset['ready'] = 'true';
  const wanted = params.get('sample');
  const first = ui.samples.querySelector<HTMLButtonElement>(wanted ? `button[data-sample="${CSS.escape(wanted)}"]` : 'button');
  const sample = first?.dataset['sample'];
  if (first && sample !== undefined && !params.has('noautorun')) await useSample(sample, first);
}

void main();
