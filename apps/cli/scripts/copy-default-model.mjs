// Copies the bundled default model (repository models/default) into the package, so the published
// CLI classifies out of the box. Only what inference needs: weights, config, class names, preprocessing.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const from = join(pkg, '../../models/default');
const to = join(pkg, 'default-model');
const files = ['weights.safetensors', 'config.json', 'classes.json', 'preprocess.json'];
if (!existsSync(join(from, 'weights.safetensors'))) {
  console.error(`copy-default-model: ${from} has no weights.safetensors; the CLI will need --weights`);
  process.exit(0);
}
mkdirSync(to, { recursive: true });
for (const f of files) if (existsSync(join(from, f))) copyFileSync(join(from, f), join(to, f));
