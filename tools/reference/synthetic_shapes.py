"""A labelled synthetic image set: coloured shapes on varied, muted backgrounds.

Each class is a (colour, shape) pair, e.g. "red star". A picture is drawn in coordinates relative to
its short side, so the same scene renders at any size and aspect ratio: the shape stays inside the
central square that a short-side resize + center crop keeps. What varies inside a class: the exact
hue/saturation/brightness of the colour, the shape's size, position and tilt, the background
(flat, gradient, stripes, checks, blotches in two close low-saturation tones, so it carries
neither a class colour nor edges as strong as the shape's), blur and pixel noise.

Everything comes from a `random.Random` seeded by the caller, so a (seed, index) pair always
draws the same picture. Used by train_default_model.py; no torch here (PIL and math only).
"""
from __future__ import annotations

import colorsys
import math
import random
from dataclasses import dataclass
from typing import List, Sequence, Tuple

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

# (name, hue in degrees, hue jitter in degrees). Hues are far enough apart that the jitter never
# makes two colours meet; saturation and value are drawn high so a shape never looks grey.
COLOURS: Sequence[Tuple[str, float, float]] = (
    ("red", 0.0, 8.0),
    ("yellow", 54.0, 6.0),
    ("green", 122.0, 16.0),
    ("blue", 222.0, 14.0),
    ("purple", 285.0, 12.0),
)
SHAPES: Sequence[str] = ("circle", "square", "triangle", "star", "cross", "heart")

MAX_TILT_DEGREES = 20.0

# Shapes are drawn at this multiple of the output size and downsampled, for smooth edges.
SUPERSAMPLE = 4


@dataclass(frozen=True)
class ShapeClass:
    colour: str
    shape: str

    @property
    def name(self) -> str:
        return f"{self.colour} {self.shape}"

    @property
    def slug(self) -> str:
        return f"{self.colour}-{self.shape}"


def class_list() -> List[ShapeClass]:
    """Classes in head order: colour-major, shape-minor."""
    return [ShapeClass(c[0], s) for c in COLOURS for s in SHAPES]


def _unit_outline(shape: str) -> List[Tuple[float, float]]:
    """Outline of a shape centred on the origin with circumradius ~1 (y down)."""
    if shape == "circle":
        n = 96
        return [(math.cos(2 * math.pi * i / n), math.sin(2 * math.pi * i / n)) for i in range(n)]
    if shape == "square":
        r = 0.86  # same area feel as the circle: a square of circumradius 1 looks too big
        return [(-r, -r), (r, -r), (r, r), (-r, r)]
    if shape == "triangle":
        return [(math.cos(math.radians(-90 + 120 * i)), math.sin(math.radians(-90 + 120 * i)) + 0.2) for i in range(3)]
    if shape == "star":
        pts = []
        for i in range(10):
            r = 1.0 if i % 2 == 0 else 0.42
            a = math.radians(-90 + 36 * i)
            pts.append((r * math.cos(a), r * math.sin(a)))
        return pts
    if shape == "cross":
        a, b = 0.95, 0.32
        return [(-b, -a), (b, -a), (b, -b), (a, -b), (a, b), (b, b), (b, a), (-b, a), (-b, b), (-a, b), (-a, -b), (-b, -b)]
    if shape == "heart":
        pts = []
        n = 120
        for i in range(n):
            t = 2 * math.pi * i / n
            x = 16 * math.sin(t) ** 3
            y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
            pts.append((x / 17.0, -(y + 2.5) / 17.0))
        return pts
    raise ValueError(f"unknown shape {shape!r}")


def _rgb(h_deg: float, s: float, v: float) -> Tuple[int, int, int]:
    r, g, b = colorsys.hsv_to_rgb((h_deg % 360.0) / 360.0, s, v)
    return int(round(r * 255)), int(round(g * 255)), int(round(b * 255))


def _muted(rng: random.Random) -> Tuple[int, int, int]:
    """A background tone: any hue, low saturation, any brightness."""
    return _rgb(rng.uniform(0, 360), rng.uniform(0.0, 0.22), rng.uniform(0.12, 0.95))


def _shape_colour(rng: random.Random, colour: str) -> Tuple[int, int, int]:
    _, hue, jitter = next(c for c in COLOURS if c[0] == colour)
    return _rgb(hue + rng.uniform(-jitter, jitter), rng.uniform(0.72, 1.0), rng.uniform(0.72, 1.0))


def _muted_near(rng: random.Random, base: Tuple[int, int, int]) -> Tuple[int, int, int]:
    """A second background tone close to `base`, so textures stay in the background."""
    h, s, v = colorsys.rgb_to_hsv(*(c / 255 for c in base))
    return _rgb(h * 360 + rng.uniform(-30, 30), min(0.22, max(0.0, s + rng.uniform(-0.08, 0.08))),
                min(0.95, max(0.12, v + rng.uniform(-0.18, 0.18))))


def _background(rng: random.Random, w: int, h: int) -> Image.Image:
    kind = rng.choice(("flat", "gradient", "stripes", "checks", "blotches"))
    a = _muted(rng)
    b = _muted_near(rng, a)
    if kind == "flat":
        return Image.new("RGB", (w, h), a)
    if kind == "gradient":
        ang = rng.uniform(0, 2 * math.pi)
        ys, xs = np.mgrid[0:h, 0:w].astype(np.float64)
        t = (xs / w - 0.5) * math.cos(ang) + (ys / h - 0.5) * math.sin(ang) + 0.5
        t = np.clip(t, 0, 1)[..., None]
        arr = np.asarray(a, np.float64) * (1 - t) + np.asarray(b, np.float64) * t
        return Image.fromarray(np.round(arr).astype(np.uint8), "RGB")
    if kind in ("stripes", "checks"):
        period = rng.uniform(0.08, 0.3) * min(w, h)
        ang = rng.uniform(0, math.pi)
        ys, xs = np.mgrid[0:h, 0:w].astype(np.float64)
        u = xs * math.cos(ang) + ys * math.sin(ang)
        on = (np.floor(u / period) % 2).astype(bool)
        if kind == "checks":
            v = -xs * math.sin(ang) + ys * math.cos(ang)
            on ^= (np.floor(v / period) % 2).astype(bool)
        arr = np.where(on[..., None], np.asarray(a, np.uint8), np.asarray(b, np.uint8))
        return Image.fromarray(arr.astype(np.uint8), "RGB")
    img = Image.new("RGB", (w, h), a)
    d = ImageDraw.Draw(img)
    for _ in range(rng.randint(3, 7)):
        cx, cy = rng.uniform(0, w), rng.uniform(0, h)
        rx, ry = rng.uniform(0.1, 0.4) * w, rng.uniform(0.1, 0.4) * h
        d.ellipse((cx - rx, cy - ry, cx + rx, cy + ry), fill=_muted(rng))
    return img.filter(ImageFilter.GaussianBlur(radius=0.04 * min(w, h)))


def render(cls: ShapeClass, rng: random.Random, width: int, height: int, noise: bool = True) -> Image.Image:
    """Draws one picture of `cls` at width x height (RGB)."""
    short = min(width, height)
    img = _background(rng, width, height)

    # Shape: size and offset relative to the short side, inside the central crop (64/73 of it).
    radius = rng.uniform(0.26, 0.38) * short
    cx = width / 2 + rng.uniform(-0.1, 0.1) * short
    cy = height / 2 + rng.uniform(-0.1, 0.1) * short
    # Upright, within +-20 degrees: a heart or a triangle is drawn the way people draw them, and
    # every shape is left-right symmetric, so a horizontal flip keeps the class.
    rot = math.radians(rng.uniform(-MAX_TILT_DEGREES, MAX_TILT_DEGREES))
    sx = rng.uniform(0.9, 1.1)  # slight stretch so sizes and aspect are not a class cue
    S = SUPERSAMPLE
    pts = []
    for x, y in _unit_outline(cls.shape):
        x, y = x * sx, y / sx
        xr = x * math.cos(rot) - y * math.sin(rot)
        yr = x * math.sin(rot) + y * math.cos(rot)
        pts.append(((cx + radius * xr) * S, (cy + radius * yr) * S))
    mask = Image.new("L", (width * S, height * S), 0)
    ImageDraw.Draw(mask).polygon(pts, fill=255)
    mask = mask.resize((width, height), Image.BOX)
    img.paste(Image.new("RGB", (width, height), _shape_colour(rng, cls.colour)), (0, 0), mask)

    if rng.random() < 0.3:
        img = img.filter(ImageFilter.GaussianBlur(radius=rng.uniform(0.3, 1.0) * short / 80))
    if noise:
        sigma = rng.uniform(0.0, 3.0)
        if sigma > 0.5:
            g = np.random.default_rng(rng.getrandbits(32)).normal(0.0, sigma, (height, width, 3))
            arr = np.clip(np.asarray(img, np.float64) + g, 0, 255)
            img = Image.fromarray(np.round(arr).astype(np.uint8), "RGB")
    return img
