#!/usr/bin/env node
// The publishing proof (issue 12), run by `npm test`: a throwaway copy of the repository is
// versioned with changesets and every public package is published to a throwaway Verdaccio on
// 127.0.0.1; then, in scratch projects outside the repository, plain npm installs them from it
// (only the @swin scope points there; everything else comes from the npm registry) and uses them
// as a user would. Verdaccio is stopped and every scratch directory removed at the end, pass or fail.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { startVerdaccio } from './lib/verdaccio.mjs';
import { checkTarball } from './lib/tarball-checks.mjs';
import { runBrowserApp } from './lib/browser-app.mjs';
import { installedSize, formatMB } from './lib/installed-size.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '../..');
/** The onnxruntime range the packages claim, and its two ends (both run below). */
const ORT_LOWEST = '1.21.0';
const ORT_NEWEST = '1.31.1';
/** The install-size goal of `npm i -g @swin/cli` (issue 12): measured and printed, not asserted. */
const CLI_SIZE_GOAL = 150e6;

const started = Date.now();
const failures = [];
const step = (what) => console.log(`\n[release-check +${Math.round((Date.now() - started) / 1000)}s] ${what}`);
function check(ok, what) {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

// Children get a clean npm environment: no npm_config_* inherited from the pnpm that runs the test.
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|pnpm_)/i.test(k)));
Object.assign(baseEnv, { ONNXRUNTIME_NODE_INSTALL: 'skip', ONNXRUNTIME_NODE_INSTALL_CUDA: 'skip', COREPACK_ENABLE_DOWNLOAD_PROMPT: '0', COREPACK_ENABLE_STRICT: '0', TURBO_TELEMETRY_DISABLED: '1', NO_UPDATE_NOTIFIER: '1' });

function run(cmd, args, { cwd, env = {}, allowFail = false, timeoutMs = 600_000 } = {}) {
  const r = spawnSync(cmd, args, { cwd, env: { ...baseEnv, ...env }, encoding: 'utf8', maxBuffer: 256e6, timeout: timeoutMs });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (!allowFail && r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) exited ${r.status ?? r.signal}:\n${out.slice(-4000)}`);
  return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', out };
}

const scratch = mkdtempSync(join(tmpdir(), 'swin-release-'));
let verdaccio;
try {
  // --- The workflow and the release script ------------------------------------------------
  step('release workflow and script');
  const rootPkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8'));
  const workflow = parseYaml(readFileSync(join(REPO, '.github/workflows/release.yml'), 'utf8'));
  const steps = Object.values(workflow.jobs ?? {}).flatMap((j) => j.steps ?? []);
  check(steps.some((s) => s.with?.publish === 'pnpm release'), 'release.yml parses as YAML and publishes with `pnpm release`');
  check(workflow.permissions?.['id-token'] === 'write' && steps.some((s) => s.env?.NPM_CONFIG_PROVENANCE === 'true'), 'release.yml publishes with npm provenance (id-token: write)');
  check(/build/.test(rootPkg.scripts.release) && /turbo run test/.test(rootPkg.scripts.release) && /changeset publish/.test(rootPkg.scripts.release), '`pnpm release` builds, tests and runs changeset publish');

  // --- A throwaway copy of the working tree, versioned with changesets ----------------------
  step('copy the repository (tracked and new files, no fixtures), install it offline, build');
  const copy = join(scratch, 'repo');
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: REPO, encoding: 'utf8' }).split('\0').filter((f) => f && !f.startsWith('fixtures/') && existsSync(join(REPO, f)));
  for (const f of files) cpSync(join(REPO, f), join(copy, f), { recursive: false });
  run('git', ['init', '-q'], { cwd: copy });
  run('git', ['add', '-A'], { cwd: copy });
  run('git', ['-c', 'user.name=release-check', '-c', 'user.email=release-check@localhost', 'commit', '-qm', 'snapshot'], { cwd: copy });
  run('corepack', ['pnpm', 'install', '--frozen-lockfile', '--offline', '--reporter=silent'], { cwd: copy });
  // Built once up front, as `pnpm release` does: changeset publish packs the packages concurrently,
  // and each one's prepack build needs its dependencies' declarations. Turbo's cache of the
  // repository (same sources, before versioning) serves what it has; prepack still rebuilds each.
  const gitCommonDir = execFileSync('git', ['rev-parse', '--path-format=absolute', '--git-common-dir'], { cwd: REPO, encoding: 'utf8' }).trim();
  const turboCache = join(dirname(gitCommonDir), '.turbo/cache');
  run('corepack', ['pnpm', 'exec', 'turbo', 'run', 'build', '--filter=./packages/*', '--filter=./apps/cli', '--output-logs=errors-only', `--cache-dir=${turboCache}`], { cwd: copy, timeoutMs: 1_200_000 });

  step('changeset version (no changeset is pending for the first release: the packages publish as 0.1.0)');
  const publicDirs = [...readdirSync(join(copy, 'packages')).map((d) => `packages/${d}`), ...readdirSync(join(copy, 'apps')).map((d) => `apps/${d}`)].filter((d) => existsSync(join(copy, d, 'package.json')));
  const manifest = (d) => JSON.parse(readFileSync(join(copy, d, 'package.json'), 'utf8'));
  const privateBefore = Object.fromEntries(publicDirs.filter((d) => manifest(d).private).map((d) => [d, manifest(d).version]));
  run(join(copy, 'node_modules/.bin/changeset'), ['version'], { cwd: copy });
  const publicPackages = publicDirs.filter((d) => !manifest(d).private).map((d) => ({ dir: d, name: manifest(d).name, version: manifest(d).version }));
  check(publicPackages.every((p) => manifest(p.dir).scripts?.prepack), `every public package builds itself on pack (prepack)`);
  check(publicPackages.every((p) => p.version === '0.1.0'), `versions after changeset version: ${publicPackages.map((p) => `${p.name}@${p.version}`).join(', ')}`);
  check(Object.entries(privateBefore).every(([d, v]) => manifest(d).version === v), `private packages keep their version (${Object.keys(privateBefore).join(', ')})`);

  // --- Publish to Verdaccio -----------------------------------------------------------------
  step('start Verdaccio on 127.0.0.1, changeset publish (each package builds itself on pack)');
  verdaccio = await startVerdaccio(join(scratch, 'verdaccio'));
  const registry = verdaccio.url;
  const host = registry.replace(/^http:/, '');
  const publishNpmrc = join(scratch, 'publish.npmrc');
  writeFileSync(publishNpmrc, `registry=${registry}\n@swin:registry=${registry}\n${host}:_authToken=throwaway-release-check\n`);
  // The project .npmrc too: nothing in this copy can reach the public registry's publish endpoint.
  appendFileSync(join(copy, '.npmrc'), `\nregistry=${registry}\n@swin:registry=${registry}\n${host}:_authToken=throwaway-release-check\n`);
  const publishEnv = { npm_config_userconfig: publishNpmrc, npm_config_registry: registry, 'npm_config_@swin:registry': registry };
  const expected = JSON.parse(run(process.execPath, [join(copy, 'apps/cli/dist/main.js'), 'classify', ...examples(copy), '--json', '--backend', 'onnx'], { cwd: copy }).stdout);
  const expectedTop = Object.fromEntries(expected.results.map((r) => [r.file.split('/').pop(), { index: r.top[0].index, probability: r.top[0].probability }]));
  const published = run(join(copy, 'node_modules/.bin/changeset'), ['publish'], { cwd: copy, env: publishEnv, timeoutMs: 1_200_000 });
  for (const p of publicPackages) {
    const res = await fetch(`${registry}${p.name.replace('/', '%2f')}`);
    const doc = res.ok ? await res.json() : {};
    check(doc.versions?.['0.1.0'] !== undefined, `${p.name}@0.1.0 is on the registry`);
  }
  if (failures.length) throw new Error(`publish incomplete:\n${published.out.slice(-3000)}`);

  // --- The tarballs -------------------------------------------------------------------------
  step('tarball contents');
  const tarballs = {};
  for (const p of publicPackages) {
    const [scope, base] = p.name.split('/');
    const tgz = join(scratch, 'verdaccio/storage', scope, base, `${base}-0.1.0.tgz`);
    const into = join(scratch, 'tarballs', base);
    mkdirSync(into, { recursive: true });
    run('tar', ['-xzf', tgz, '-C', into]);
    tarballs[p.name] = tgz;
    const problems = checkTarball(join(into, 'package'));
    check(problems.length === 0, `${p.name}: no workspace: ranges, no test/bench files, dist + maps + README + LICENSE, links inside the tarball${problems.length ? `\n      ${problems.join('\n      ')}` : ''}`);
  }

  // --- The consumers: plain npm, only @swin from Verdaccio ----------------------------------
  const consumerNpmrc = join(scratch, 'consumer.npmrc');
  writeFileSync(consumerNpmrc, `@swin:registry=${registry}\nfund=false\naudit=false\nupdate-notifier=false\n`);
  // `--prefix` (the global install below, and the CLI's own install hint) moves npm's global config
  // to <prefix>/etc/npmrc; keep the machine's one, where settings such as a CA file live.
  const machineGlobalConfig = run('npm', ['config', 'get', 'globalconfig'], { cwd: scratch }).stdout.trim();
  const npmEnv = { npm_config_userconfig: consumerNpmrc, ...(machineGlobalConfig ? { npm_config_globalconfig: machineGlobalConfig } : {}) };
  const modelDir = join(scratch, 'model');
  cpSync(join(REPO, 'models/default'), modelDir, { recursive: true, filter: (src) => !src.includes('heldout') });
  const pictures = examples(REPO);
  function project(name, deps) {
    const dir = join(scratch, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: `consumer-${name}`, private: true, type: 'module' }, null, 2));
    const r = run('npm', ['install', '--no-audit', '--no-fund', ...deps], { cwd: dir, env: npmEnv, allowFail: true, timeoutMs: 900_000 });
    check(r.status === 0 && !/ERESOLVE/.test(r.out), `${name}: npm install ${deps.join(' ')}${r.status === 0 ? '' : `\n${r.out.slice(-3000)}`}`);
    return dir;
  }
  function sameAnswers(label, out) {
    let got;
    try {
      got = JSON.parse(out);
    } catch {
      check(false, `${label}: JSON output expected, got:\n${out.slice(-2000)}`);
      return;
    }
    const wrong = got.filter((g) => expectedTop[g.file]?.index !== g.index || Math.abs(expectedTop[g.file].probability - g.probability) > 1e-3);
    check(got.length === pictures.length && wrong.length === 0, `${label}: ${got.length} pictures, top-1 as swin classify (${got.map((g) => `${g.file}: ${g.label} ${(100 * g.probability).toFixed(1)}%`).join('; ')})`);
  }

  step(`1. Node ESM: @swin/pipeline + @swin/backend-onnx + onnxruntime-node@${ORT_LOWEST} (the lowest claimed) + sharp`);
  const nodeDir = project('node', ['@swin/pipeline', '@swin/backend-onnx', `onnxruntime-node@${ORT_LOWEST}`, 'sharp@^0.35.5']);
  cpSync(join(HERE, 'consumers/classify-pipeline.mjs'), join(nodeDir, 'classify.mjs'));
  const viaPipeline = run(process.execPath, ['classify.mjs', join(modelDir, 'weights.safetensors'), ...pictures], { cwd: nodeDir, allowFail: true }).out;
  check(/"backend":"onnx"/.test(viaPipeline), `loadModel(…, { backend: 'auto' }) picks onnx`);
  sameAnswers(`@swin/pipeline on onnxruntime-node ${ORT_LOWEST}`, viaPipeline);

  step('2. Node ESM: @swin/backend-tfjs + @tensorflow/tfjs-core + @tensorflow/tfjs-backend-wasm');
  const tfjsDir = project('tfjs', ['@swin/core', '@swin/weights', '@swin/backend-tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-wasm', 'sharp@^0.35.5']);
  cpSync(join(HERE, 'consumers/classify.mjs'), join(tfjsDir, 'classify.mjs'));
  sameAnswers('tfjs-wasm', run(process.execPath, ['classify.mjs', 'tfjs-wasm', modelDir, ...pictures], { cwd: tfjsDir, allowFail: true }).out);

  step(`6. @swin/backend-onnx + onnxruntime-web@${ORT_NEWEST} (the newest claimed) resolves; it classifies in Node (wasm)`);
  const ortDir = project('ort-newest', ['@swin/backend-onnx', `onnxruntime-web@${ORT_NEWEST}`, '@swin/core', '@swin/weights', 'sharp@^0.35.5']);
  cpSync(join(HERE, 'consumers/classify.mjs'), join(ortDir, 'classify.mjs'));
  sameAnswers(`onnxruntime-web ${ORT_NEWEST} in Node`, run(process.execPath, ['classify.mjs', 'onnx-web', modelDir, ...pictures], { cwd: ortDir, allowFail: true }).out);

  step('4. TypeScript consumer, strict, moduleResolution node16 and bundler');
  const tsDir = project('types', ['@swin/pipeline', '@swin/core', '@swin/variants', '@swin/weights', '@swin/backend-onnx', '@swin/backend-tfjs', '@swin/backend-webgpu', '@swin/conformance', '@tensorflow/tfjs-core', 'typescript@5.9.3', '@types/node@^20.19.0']);
  cpSync(join(HERE, 'consumers/types-check.ts'), join(tsDir, 'types-check.ts'));
  for (const [module, resolution] of [['node16', 'node16'], ['esnext', 'bundler']]) {
    const tsconfig = { compilerOptions: { strict: true, noEmit: true, target: 'es2022', module, moduleResolution: resolution, lib: ['es2022', 'dom'], types: ['node'], skipLibCheck: true }, files: ['types-check.ts'] };
    writeFileSync(join(tsDir, `tsconfig.${resolution}.json`), JSON.stringify(tsconfig, null, 2));
    const tsc = run(process.execPath, [join(tsDir, 'node_modules/typescript/bin/tsc'), '-p', `tsconfig.${resolution}.json`], { cwd: tsDir, allowFail: true });
    check(tsc.status === 0, `tsc --noEmit strict, moduleResolution ${resolution}${tsc.status === 0 ? '' : `\n${tsc.out.slice(-3000)}`}`);
  }

  step('5. CommonJS require() of every library entry (in the TypeScript consumer, which installs every library package)');
  cpSync(join(HERE, 'consumers/require-check.cjs'), join(tsDir, 'require-check.cjs'));
  const req = run(process.execPath, ['require-check.cjs'], { cwd: tsDir, allowFail: true });
  check(req.status === 0, `require(): ${req.out.trim().slice(-1500)}`);

  step(`3. browser app (Vite): @swin/backend-webgpu and onnxruntime-web@${ORT_LOWEST}, headless Chromium`);
  const webDir = project('web', ['@swin/core', '@swin/weights', '@swin/backend-webgpu', '@swin/backend-onnx', `onnxruntime-web@${ORT_LOWEST}`, 'vite@8.3.8']);
  check(!existsSync(join(webDir, 'node_modules/webgpu')), 'no webgpu (Dawn) in the browser app\'s node_modules');
  cpSync(join(HERE, 'consumers/web'), webDir, { recursive: true });
  mkdirSync(join(webDir, 'public/model'), { recursive: true });
  for (const f of ['weights.safetensors', 'classes.json', 'preprocess.json']) cpSync(join(modelDir, f), join(webDir, 'public/model', f));
  const picture = pictures[0];
  cpSync(picture, join(webDir, 'public/picture.png'));
  const vite = run(process.execPath, [join(webDir, 'node_modules/vite/bin/vite.js'), 'build'], { cwd: webDir, allowFail: true });
  check(vite.status === 0, `vite build${vite.status === 0 ? '' : `\n${vite.out.slice(-3000)}`}`);
  const want = expectedTop[picture.split('/').pop()].index;
  for (const page of ['webgpu', 'ort']) {
    const result = await runBrowserApp(join(webDir, 'dist'), `${page}.html`);
    check(result.index === want, `${page} page in Chromium: ${JSON.stringify(result).slice(0, 1500)} (swin classify: index ${want})`);
  }

  step(`7. npm i -g of the CLI tarball; swin classify; installed size`);
  const prefix = join(scratch, 'global');
  const g = run('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', tarballs['@swin/cli']], { cwd: scratch, env: npmEnv, allowFail: true, timeoutMs: 900_000 });
  check(g.status === 0, `npm i -g ${tarballs['@swin/cli']}${g.status === 0 ? '' : `\n${g.out.slice(-3000)}`}`);
  const swin = join(prefix, 'bin/swin');
  const cliDir = join(prefix, 'lib/node_modules/@swin/cli');
  const cls = run(swin, ['classify', ...pictures, '--json'], { cwd: scratch, allowFail: true });
  let cliJson;
  try {
    cliJson = JSON.parse(cls.stdout);
  } catch {
    cliJson = undefined;
  }
  check(cliJson?.backend === 'onnx', `swin classify picks onnx with onnxruntime alone (${cliJson?.backend ?? cls.out.slice(-1500)})`);
  if (cliJson) sameAnswers('installed swin classify', JSON.stringify(cliJson.results.map((r) => ({ file: r.file.split('/').pop(), index: r.top[0].index, label: r.top[0].label, probability: r.top[0].probability }))));
  const cliSize = installedSize(cliDir);
  console.log(`  installed size of npm i -g @swin/cli: ${formatMB(cliSize.total)} (${cliSize.top.map(([n, s]) => `${n} ${formatMB(s)}`).join(', ')}); goal ${formatMB(CLI_SIZE_GOAL)}: ${cliSize.total <= CLI_SIZE_GOAL ? 'met' : 'NOT met'}`);
  check(!existsSync(join(cliDir, 'node_modules/webgpu')) && !existsSync(join(cliDir, 'node_modules/@tensorflow/tfjs-backend-wasm')), 'the CLI install has no tfjs or Dawn');
  const ask = run(swin, ['classify', pictures[0], '--backend', 'tfjs-wasm'], { cwd: scratch, allowFail: true });
  const hint = /add it to the CLI with: (npm install .*)$/m.exec(ask.stderr)?.[1];
  check(ask.status === 1 && hint !== undefined, `--backend tfjs-wasm without tfjs: exit 1 and the install command (${ask.stderr.trim().slice(0, 400)})`);
  if (hint) {
    const add = run('sh', ['-c', hint], { cwd: scratch, env: npmEnv, allowFail: true, timeoutMs: 900_000 });
    check(add.status === 0, `the printed command installs the backend${add.status === 0 ? '' : `\n${add.out.slice(-2000)}`}`);
    const again = run(swin, ['classify', ...pictures, '--json', '--backend', 'tfjs-wasm'], { cwd: scratch, allowFail: true });
    let j;
    try {
      j = JSON.parse(again.stdout);
    } catch {
      j = undefined;
    }
    check(j?.backend === 'tfjs-wasm', `then swin classify --backend tfjs-wasm runs (${j?.backend ?? again.out.slice(-1000)})`);
    if (j) sameAnswers('installed swin classify --backend tfjs-wasm', JSON.stringify(j.results.map((r) => ({ file: r.file.split('/').pop(), index: r.top[0].index, label: r.top[0].label, probability: r.top[0].probability }))));
  }

  step('installed sizes (npm install <package> in an empty project, linux x64)');
  for (const [label, dir] of [['@swin/pipeline + @swin/backend-onnx + onnxruntime-node ' + ORT_LOWEST + ' + sharp', nodeDir], ['tfjs (core, weights, backend-tfjs, tfjs-core, tfjs-backend-wasm, sharp)', tfjsDir], ['browser app (core, weights, backend-webgpu, backend-onnx, onnxruntime-web ' + ORT_LOWEST + ', vite)', webDir]]) {
    console.log(`  ${label}: ${formatMB(installedSize(join(dir, 'node_modules')).total)}`);
  }
  for (const p of publicPackages.filter((p) => p.name !== '@swin/cli')) {
    const s = installedSize(join(scratch, 'tarballs', p.name.split('/')[1], 'package')).total;
    console.log(`  ${p.name} alone (its tarball unpacked): ${formatMB(s)}`);
  }
} catch (err) {
  failures.push(err instanceof Error ? err.message : String(err));
  console.error(`\n[release-check] ${err instanceof Error ? err.stack : String(err)}`);
  if (verdaccio) console.error(`[release-check] verdaccio log (tail):\n${verdaccio.log().slice(-2000)}`);
} finally {
  await verdaccio?.stop();
  rmSync(scratch, { recursive: true, force: true });
  console.log(`\n[release-check] ${Math.round((Date.now() - started) / 1000)} s; Verdaccio stopped, ${scratch} removed`);
}

function examples(root) {
  return readdirSync(join(root, 'examples')).filter((f) => /\.(png|jpe?g|webp)$/i.test(f)).sort().map((f) => join(root, 'examples', f));
}

if (failures.length) {
  console.error(`\n[release-check] ${failures.length} failure(s):\n- ${failures.join('\n- ')}`);
  process.exit(1);
}
console.log('[release-check] every scenario passed');
