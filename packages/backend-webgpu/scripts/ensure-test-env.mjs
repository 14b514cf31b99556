#!/usr/bin/env node
// Before the tests: make sure headless Chromium is there (Debian's chromium package, which also
// provides the SwiftShader Vulkan ICD the Node/Dawn tests use). Installs it when running as root
// with apt-get; otherwise fails saying what is missing. The tests themselves fail, never skip,
// when an adapter cannot be had.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.SWIN_CHROMIUM ?? '/usr/bin/chromium';
const icd = '/usr/lib/chromium/vk_swiftshader_icd.json';

function have() {
  return existsSync(chromium) && existsSync(icd);
}

if (!have()) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = existsSync('/usr/bin/apt-get');
  if (root && apt && !process.env.SWIN_CHROMIUM) {
    console.log('[backend-webgpu] chromium is missing: apt-get install -y chromium');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  }
}
if (!have()) {
  console.error(
    `[backend-webgpu] the WebGPU tests need Debian's chromium package: ${existsSync(chromium) ? '' : `no browser at ${chromium}; `}${existsSync(icd) ? '' : `no SwiftShader Vulkan ICD at ${icd}; `}install it with 'apt-get update && apt-get install -y chromium' (or set SWIN_CHROMIUM to a Chromium binary and provide a Vulkan ICD for Dawn)`,
  );
  process.exit(1);
}
