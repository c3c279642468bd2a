"""Safe image decoding for untrusted files.

The header is read first (``PIL.Image.open`` parses only the header) and the
pixel count checked against a limit *before* any pixel is decoded, so a PNG
that declares 40000×40000 px is refused without allocating it. OpenCV never
sees an untrusted file: it works on the numpy arrays Pillow produced.
JPEGs are decoded in draft mode (DCT scaling) straight to grey at the smallest
size that is still at least the size asked for, which is several times faster
than a full decode.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
from PIL import Image, UnidentifiedImageError

DEFAULT_MAX_PIXELS = 50_000_000


class ImageDecodeError(Exception):
    """The file cannot be decoded, or declares more pixels than allowed (LG006)."""


@dataclass(frozen=True)
class DecodedImage:
    """A greyscale rendering of an image and the size its header declares."""

    gray: np.ndarray  # uint8, H×W, at least ``min_width`` wide unless the image is smaller
    width: int  # the file's own size, from its header
    height: int
    ycc: np.ndarray | None = None  # uint8 H×W×3 YCbCr (``gray`` is its Y), when asked for


def decode_gray(
    path: Path | IO[bytes],
    max_pixels: int = DEFAULT_MAX_PIXELS,
    min_width: int = 0,
    colour: bool = False,
) -> DecodedImage:
    """Decode ``path`` (a file, or an image in memory) to grey, reduced (JPEG
    draft mode) to no less than ``min_width`` pixels wide (0: full size).
    Transparent pixels are composited over white. With ``colour``, also YCbCr
    (a JPEG's own colour space: no conversion, and its Y is the same grey).

    :raises ImageDecodeError: unreadable, truncated, or over ``max_pixels``.
    """
    image = _open_header(path)
    with image:
        width, height = image.size
        if width <= 0 or height <= 0:
            raise ImageDecodeError(f"image declares an empty size {width}×{height}")
        if width * height > max_pixels:
            raise ImageDecodeError(
                f"image declares {width}×{height} = {width * height:,} pixels, over the "
                f"limit of {max_pixels:,} (option max-pixels); refused before decoding"
            )
        try:
            if min_width and image.format == "JPEG" and width > min_width:
                target_h = max(1, round(height * min_width / width))
                image.draft("YCbCr" if colour else "L", (min_width, target_h))
            image.load()
            ycc = _to_ycc(image) if colour else None
            gray = np.ascontiguousarray(ycc[..., 0]) if ycc is not None else _to_gray(image)
        except (OSError, ValueError, SyntaxError, EOFError, MemoryError) as exc:
            raise ImageDecodeError(f"cannot decode the image: {exc}") from None
    return DecodedImage(gray=gray, width=width, height=height, ycc=ycc)


def _open_header(path: Path | IO[bytes]) -> Image.Image:
    """Open ``path`` reading only its header, with Pillow's own bomb check off:
    the caller checks the declared size against *its* limit before decoding."""
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = None  # restored below; workers are single-threaded
    try:
        return Image.open(path)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ImageDecodeError(f"cannot read the image header: {exc}") from None
    finally:
        Image.MAX_IMAGE_PIXELS = saved


def _flatten(image: Image.Image) -> Image.Image:
    """Transparent pixels composited over white (a listing page's background)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba)
    return image


def _to_gray(image: Image.Image) -> np.ndarray:
    image = _flatten(image)
    if image.mode != "L":
        image = image.convert("L")
    return np.asarray(image, dtype=np.uint8)


def _to_ycc(image: Image.Image) -> np.ndarray:
    image = _flatten(image)
    if image.mode != "YCbCr":
        image = image.convert("RGB").convert("YCbCr")
    return np.asarray(image, dtype=np.uint8)


def load_rgba(path: Path, max_pixels: int = DEFAULT_MAX_PIXELS) -> np.ndarray:
    """Decode a watermark template as an H×W×4 uint8 RGBA array.

    :raises ImageDecodeError: unreadable or over ``max_pixels``.
    """
    with _open_header(path) as image:
        if image.width * image.height > max_pixels:
            raise ImageDecodeError(f"template declares {image.width}×{image.height} px")
        try:
            return np.asarray(image.convert("RGBA"), dtype=np.uint8)
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            raise ImageDecodeError(f"cannot decode the template {path}: {exc}") from None
