"""Synthetic images for the watermark benchmark: the fictional Orvina mark, its
look-alikes, and base images in three styles (photo-like, product shot, busy
texture). Everything is drawn from a seeded ``random.Random`` / numpy generator,
so a seed gives the same corpus on every machine with the same Pillow."""

from __future__ import annotations

import io
import random
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
MARK_SIZE = (240, 96)


def _font(name: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    path = FONT_DIR / name
    if path.is_file():
        return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def draw_mark(word: str = "ORVINA", code: str = "AC-7Q2K") -> Image.Image:
    """The mark: a rounded badge with a word and an anti-counterfeit code, dark
    strokes with a white halo so that it shows on light and dark backgrounds.
    Look-alikes keep the badge and change the text."""
    w, h = MARK_SIZE
    mark = Image.new("RGBA", (w, h), (0, 0, 0, 0))
    draw = ImageDraw.Draw(mark)
    ink, halo = (35, 35, 45, 255), (255, 255, 255, 255)
    draw.rounded_rectangle((3, 3, w - 4, h - 4), radius=18, outline=halo, width=7)
    draw.rounded_rectangle((4, 4, w - 5, h - 5), radius=17, outline=ink, width=4)
    big, small = _font("DejaVuSans-Bold.ttf", 40), _font("DejaVuSans-Bold.ttf", 17)
    draw.text((w // 2, 38), word, font=big, fill=ink, anchor="mm", stroke_width=2, stroke_fill=halo)
    draw.text(
        (w // 2, 72), code, font=small, fill=ink, anchor="mm", stroke_width=2, stroke_fill=halo
    )
    return mark


LOOKALIKE_WORDS = [
    ("NOVARI", "BX-4M9T"),
    ("LUMERA", "QK-2W8D"),
    ("KAVOTE", "ZT-9P3L"),
    ("MIRUSO", "HD-5C1V"),
]


def paste_mark(
    image: Image.Image, mark: Image.Image, scale: float, opacity: float, where: tuple[float, float]
) -> tuple[Image.Image, tuple[int, int, int, int]]:
    """Composite ``mark`` at ``scale`` (relative to a 1000 px wide image) and
    ``opacity``; ``where`` is the top-left as a fraction of the free room.
    Returns the image and the mark's bbox."""
    w = max(1, round(mark.width * scale * image.width / 1000))
    h = max(1, round(mark.height * scale * image.width / 1000))
    m = mark.resize((w, h), Image.LANCZOS)
    m.putalpha(m.getchannel("A").point(lambda a: int(a * opacity)))
    x, y = int(where[0] * (image.width - w)), int(where[1] * (image.height - h))
    out = image.convert("RGBA")
    out.alpha_composite(m, (x, y))
    return out.convert("RGB"), (x, y, w, h)


def photo_like(size: int, rng: random.Random) -> Image.Image:
    """A 'photo': smooth colour field, blobs, some grain."""
    nrng = np.random.default_rng(rng.randrange(1 << 30))
    cells = rng.choice([4, 6, 8, 12])
    data = nrng.integers(0, 255, (cells, cells, 3)).astype("uint8")
    base = Image.fromarray(data, "RGB").resize((size, size), Image.BICUBIC)
    draw = ImageDraw.Draw(base)
    for _ in range(rng.randrange(4, 16)):
        x, y, r = rng.randrange(size), rng.randrange(size), rng.randrange(size // 25, size // 4)
        color = tuple(rng.randrange(20, 235) for _ in range(3))
        if rng.random() < 0.5:
            draw.ellipse((x - r, y - r, x + r, y + r), fill=color)
        else:
            draw.rectangle((x - r, y - r // 2, x + r, y + r // 2), fill=color)
    base = base.filter(ImageFilter.GaussianBlur(rng.uniform(0.8, 3)))
    grain = nrng.normal(0, rng.uniform(2, 8), (size, size, 1))
    arr = np.clip(np.asarray(base, dtype=np.float32) + grain, 0, 255).astype("uint8")
    return Image.fromarray(arr, "RGB")


def product_shot(size: int, rng: random.Random) -> Image.Image:
    """A product on a white or light-grey studio background, with a shadow."""
    bg = rng.choice([255, 250, 245, 235])
    img = Image.new("RGB", (size, size), (bg, bg, bg))
    draw = ImageDraw.Draw(img)
    cx, cy = size * rng.uniform(0.35, 0.65), size * rng.uniform(0.4, 0.6)
    w, h = size * rng.uniform(0.2, 0.45), size * rng.uniform(0.25, 0.5)
    shadow = bg - 40
    draw.ellipse((cx - w, cy + h * 0.8, cx + w, cy + h * 1.1), fill=(shadow, shadow, shadow))
    body = tuple(rng.randrange(10, 220) for _ in range(3))
    shape = rng.randrange(3)
    box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
    if shape == 0:
        draw.rounded_rectangle(box, radius=int(min(w, h) / 5), fill=body)
    elif shape == 1:
        draw.ellipse(box, fill=body)
    else:
        draw.polygon(
            [(cx, cy - h / 2), (cx + w / 2, cy + h / 2), (cx - w / 2, cy + h / 2)], fill=body
        )
    for _ in range(rng.randrange(1, 5)):  # buttons, a screen, a grille
        bx, by = cx + rng.uniform(-w / 4, w / 4), cy + rng.uniform(-h / 4, h / 4)
        r = size * rng.uniform(0.01, 0.05)
        c = tuple(min(255, v + rng.randrange(-60, 80)) for v in body)
        draw.ellipse((bx - r, by - r, bx + r, by + r), fill=c)
    img = img.filter(ImageFilter.GaussianBlur(rng.uniform(0.5, 1.5)))
    return img


def busy_texture(size: int, rng: random.Random) -> Image.Image:
    """Hard backgrounds: fabric-like noise, stripes, printed text, gravel."""
    nrng = np.random.default_rng(rng.randrange(1 << 30))
    kind = rng.randrange(4)
    if kind == 0:  # fine noise
        arr = nrng.integers(0, 255, (size, size, 3)).astype("uint8")
        img = Image.fromarray(arr, "RGB").filter(ImageFilter.GaussianBlur(rng.uniform(0.6, 2.0)))
    elif kind == 1:  # stripes / fabric
        yy, xx = np.mgrid[0:size, 0:size].astype(np.float32)
        period, angle = rng.uniform(4, 20), rng.uniform(0, np.pi)
        wave = np.sin((xx * np.cos(angle) + yy * np.sin(angle)) * 2 * np.pi / period)
        wave2 = np.sin((xx * np.sin(angle) - yy * np.cos(angle)) * 2 * np.pi / (period * 1.7))
        val = 128 + 60 * wave + 40 * wave2 + nrng.normal(0, 10, (size, size))
        tint = np.array([rng.uniform(0.6, 1.2) for _ in range(3)], dtype=np.float32)
        arr = np.clip(val[..., None] * tint, 0, 255).astype("uint8")
        img = Image.fromarray(arr, "RGB")
    elif kind == 2:  # printed text all over (a newspaper, a label)
        bg = rng.randrange(150, 255)
        img = Image.new("RGB", (size, size), (bg, bg, bg - 10))
        draw = ImageDraw.Draw(img)
        font = _font("DejaVuSans.ttf", rng.randrange(12, 40))
        letters = "ABCDEFGHIJKLMNOPRSTUVWXYZ0123456789 -"
        step = max(14, font.size + 4) if hasattr(font, "size") else 20
        for y in range(0, size, step):
            line = "".join(rng.choice(letters) for _ in range(size // 8))
            draw.text((rng.randrange(-20, 0), y), line, font=font, fill=(rng.randrange(0, 90),) * 3)
    else:  # gravel / foliage
        img = photo_like(size, rng)
        draw = ImageDraw.Draw(img)
        for _ in range(size * 2):
            x, y, r = rng.randrange(size), rng.randrange(size), rng.randrange(2, 9)
            c = tuple(rng.randrange(0, 255) for _ in range(3))
            draw.ellipse((x - r, y - r, x + r, y + r), fill=c)
    return img


STYLES = {"photo": photo_like, "product": product_shot, "texture": busy_texture}


def jpeg_bytes(image: Image.Image, quality: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def degrade(
    image: Image.Image, rng: random.Random, crop: float = 0.0, quality: int | None = None
) -> tuple[Image.Image, float, float]:
    """What a seller's pipeline does: crop up to ``crop`` (fraction) off the edges,
    resize to 50-100 %, re-encode as JPEG at quality 50-95. Returns the decoded
    result, the resize factor and the crop offset scale."""
    w, h = image.size
    if crop:
        cx = [int(w * rng.uniform(0, crop / 2)) for _ in range(2)]
        cy = [int(h * rng.uniform(0, crop / 2)) for _ in range(2)]
        image = image.crop((cx[0], cy[0], w - cx[1], h - cy[1]))
    factor = rng.uniform(0.5, 1.0)
    image = image.resize(
        (max(1, round(image.width * factor)), max(1, round(image.height * factor))), Image.LANCZOS
    )
    q = quality if quality is not None else rng.randrange(50, 96)
    return Image.open(io.BytesIO(jpeg_bytes(image, q))).convert("RGB"), factor, q


def load_mark(path: str) -> Image.Image:
    """An RGBA mark from a file (e.g. a brand kit's ``watermark.png``)."""
    with Image.open(path) as image:
        return image.convert("RGBA")
