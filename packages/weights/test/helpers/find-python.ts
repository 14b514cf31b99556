import { spawnSync } from 'node:child_process';

/** The Python with torch: $SWIN_PYTHON, else Debian's /usr/bin/python3 (pyenv shims lack torch), else python3. */
export function findPython(): string {
  const candidates = [process.env['SWIN_PYTHON'], '/usr/bin/python3', 'python3'].filter((p): p is string => !!p);
  for (const p of candidates) {
    const r = spawnSync(p, ['-c', 'import torch, torchvision'], { stdio: 'ignore' });
    if (r.status === 0) return p;
  }
  throw new Error(
    'this test needs PyTorch and torchvision: install them with `apt-get install -y python3-torch python3-torchvision` ' +
      `(Debian; CI installs them), or point SWIN_PYTHON at a python with torch. Tried: ${candidates.join(', ')}`,
  );
}
