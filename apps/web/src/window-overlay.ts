import type { RgbImage } from '@swin/core';
import type { WindowLayout } from './window-layout.js';

/** What to draw over the model's input picture. */
export interface OverlayState {
  readonly picture: RgbImage;
  readonly layout: WindowLayout;
  /**
   * 'picture': tokens where they are in the picture (a shifted window that wraps around shows as
   * same-coloured pieces at opposite edges). 'rolled': the map as the block sees it after the cyclic
   * shift by -s tokens, where every window is a plain square and the mask regions inside the
   * wrapped windows show as dashed lines.
   */
  readonly frame: 'picture' | 'rolled';
  /** The framed token (stage map coordinates). */
  readonly query: { y: number; x: number } | null;
  /** Its attention over the map: drawn as a veil instead of the window colours (null: colours). */
  readonly attention: Float32Array | null;
}

// Distinct hues for windows; alternating lightness keeps neighbours apart.
function windowColour(index: number, alpha: number): string {
  const hue = (index * 137.508) % 360;
  return `hsla(${hue.toFixed(1)}, 85%, ${index % 2 ? 45 : 60}%, ${alpha})`;
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/** Which token a displayed cell shows, in the chosen frame. */
export function cellToken(layout: WindowLayout, frame: OverlayState['frame'], cy: number, cx: number): { y: number; x: number } {
  const { width: W, height: H, shift } = layout.geometry;
  return frame === 'rolled' ? { y: mod(cy + shift, H), x: mod(cx + shift, W) } : { y: cy, x: cx };
}

/**
 * Paints the picture the model sees (after resize and crop), pixelated, then the block's windows:
 * each window tinted in its own colour, thick lines where windows meet, dashed lines where a window
 * joins regions of the cyclic shift that the mask keeps apart, and, when a token is chosen, a dark
 * veil that lifts where that token's attention is high.
 */
export function paintOverlay(canvas: HTMLCanvasElement, state: OverlayState): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const { picture, layout, frame } = state;
  const { width: W, height: H, shift } = layout.geometry;
  const scale = canvas.width / picture.width;
  const cell = layout.pixelsPerToken * scale;

  const rgba = new Uint8ClampedArray(picture.width * picture.height * 4);
  for (let i = 0; i < picture.width * picture.height; i++) {
    rgba.set(picture.data.subarray(i * 3, i * 3 + 3), i * 4);
    rgba[i * 4 + 3] = 255;
  }
  const bitmap = document.createElement('canvas');
  bitmap.width = picture.width;
  bitmap.height = picture.height;
  bitmap.getContext('2d')!.putImageData(new ImageData(rgba, picture.width, picture.height), 0, 0);
  ctx.imageSmoothingEnabled = false;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const offset = frame === 'rolled' ? shift * cell : 0;
  for (const dy of offset ? [0, 1] : [0]) {
    for (const dx of offset ? [0, 1] : [0]) {
      ctx.drawImage(bitmap, dx * canvas.width - offset, dy * canvas.height - offset, canvas.width, canvas.height);
    }
  }

  const token = (cy: number, cx: number) => cellToken(layout, frame, cy, cx);
  const placement = (cy: number, cx: number) => {
    const t = token(cy, cx);
    return layout.placementOf(t.y, t.x);
  };
  for (let cy = 0; cy < H; cy++) {
    for (let cx = 0; cx < W; cx++) {
      if (state.attention) {
        let max = 0;
        for (const v of state.attention) max = Math.max(max, v);
        const t = token(cy, cx);
        // The attention covers the stage map (height x width) and t is a token of it.
        const p = max > 0 ? state.attention[t.y * W + t.x]! / max : 0;
        ctx.fillStyle = `rgba(0, 0, 0, ${(0.8 * (1 - Math.sqrt(p))).toFixed(3)})`;
      } else {
        ctx.fillStyle = windowColour(placement(cy, cx).window, 0.3);
      }
      ctx.fillRect(cx * cell, cy * cell, cell, cell);
    }
  }

  ctx.strokeStyle = 'rgba(255,255,255,0.22)';
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (let y = 1; y < H; y++) (ctx.moveTo(0, y * cell), ctx.lineTo(W * cell, y * cell));
  for (let x = 1; x < W; x++) (ctx.moveTo(x * cell, 0), ctx.lineTo(x * cell, H * cell));
  ctx.stroke();

  const edge = (x0: number, y0: number, x1: number, y1: number, dashed: boolean) => {
    ctx.setLineDash(dashed ? [6, 5] : []);
    ctx.strokeStyle = dashed ? '#ffd60a' : 'rgba(255,255,255,0.95)';
    ctx.lineWidth = dashed ? 2.5 : 3;
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.lineTo(x1, y1);
    ctx.stroke();
  };
  for (let cy = 0; cy < H; cy++) {
    for (let cx = 0; cx < W; cx++) {
      const a = placement(cy, cx);
      if (cx + 1 < W) {
        const b = placement(cy, cx + 1);
        if (a.window !== b.window || a.region !== b.region) edge((cx + 1) * cell, cy * cell, (cx + 1) * cell, (cy + 1) * cell, a.window === b.window);
      }
      if (cy + 1 < H) {
        const b = placement(cy + 1, cx);
        if (a.window !== b.window || a.region !== b.region) edge(cx * cell, (cy + 1) * cell, (cx + 1) * cell, (cy + 1) * cell, a.window === b.window);
      }
    }
  }
  ctx.setLineDash([]);
  ctx.strokeStyle = 'rgba(255,255,255,0.95)';
  ctx.lineWidth = 3;
  ctx.strokeRect(1.5, 1.5, W * cell - 3, H * cell - 3);

  if (state.query) {
    const q = state.query;
    const cy = frame === 'rolled' ? mod(q.y - shift, H) : q.y;
    const cx = frame === 'rolled' ? mod(q.x - shift, W) : q.x;
    ctx.strokeStyle = '#ff2d55';
    ctx.lineWidth = 3;
    ctx.strokeRect(cx * cell + 1.5, cy * cell + 1.5, cell - 3, cell - 3);
  }
}
