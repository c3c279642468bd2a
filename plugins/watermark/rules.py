"""The watermark plugin's rules (prefix WM) and their docs pages."""

from __future__ import annotations

from ...model import Rule, Severity

PROGRAMME = (
    "The brand's authorised-reseller programme requires every main image to be made "
    "from the brand's official visual asset library, which carries a watermark with "
    "an anti-counterfeit code; listings that break this are delisted automatically."
)

RULES = [
    Rule(
        "WM001",
        "watermark-missing",
        Severity.ERROR,
        "A main image lacks the official watermark",
        what=(
            "Searches each `main` image for the brand kit's watermark mark (its RGBA "
            "template; the alpha is the match mask) at any position, at 0.4×–1.6× of the "
            "template's size relative to a 1000 px wide image, faint or strong, after "
            "re-encoding and resizing. An image that matches an official asset whose "
            "place of the mark the kit records (`listguard brandkit build` writes it) "
            "is checked there first, and searched whole only if the mark is not there; "
            "an image in which the search finds no mark is searched once more, wider, "
            "before the rule fires. "
            "The mark's inside (its word and code) must be there at least 0.66 as "
            "strongly as its outline (`inner-threshold`): a look-alike badge with another "
            "word, or the badge's frame alone, is not the mark however well it scores (a "
            "word that differs by a letter, or a missing code, is not caught). A copy of an "
            "official asset whose mark scores under the threshold at the asset's place (a "
            "faint mark over texture, after re-encoding) still passes when the pixels "
            "round the mark are the asset's own, as the kit stores them, and the asset's "
            "own mark passed; the asset's photo with the mark removed, replaced or blurred "
            "by more than about a stroke's width does not. The evidence gives the best "
            "match's score and bounding box, found or not, how it was located, the inside "
            "(`inner`) and that comparison (`asset_copy`). Without a "
            "brand kit or template the rule reports that the watermark could not be "
            "verified."
        ),
        why=PROGRAMME,
        example="A main image exported from the seller's own photo shoot, without the mark.",
        fix="Use the official image from the brand's asset library, with its watermark intact "
        "(do not crop it off or paint over it).",
    ),
    Rule(
        "WM002",
        "not-an-official-asset",
        Severity.ERROR,
        "A main image matches no asset of the official library",
        what=(
            "Compares the image's 64-bit perceptual hash (pHash) with the brand kit's "
            "official assets. Assets with a finer `signature` (written by `listguard "
            "brandkit build`) are shortlisted within `candidate-threshold` bits and must "
            "then match a 256-bit pHash (`fine-threshold`) and a 4×4 colour layout "
            "(`colour-threshold`): a 64-bit grey hash alone confuses two products shot "
            "on white. Assets without one match within `phash-threshold` bits, and the "
            "finding's evidence says so (`stage`: `phash64`). Robust to re-encoding, "
            "resizing and crops of a few percent. A seller's own photo with the mark "
            "pasted on passes WM001 but fails here: that is the counterfeit case."
        ),
        why=PROGRAMME,
        example="A photo of the product on the seller's desk, with the brand's mark pasted on.",
        fix="Replace it with an image from the brand's official asset library.",
    ),
    Rule(
        "WM003",
        "asset-of-another-model",
        Severity.ERROR,
        "The matched official asset belongs to another model",
        what="The image matches an official asset, but the kit registers that asset to "
        "another model than the listing's `model`.",
        why=PROGRAMME + " An official image of another model misdescribes the product.",
        example="A listing for model OV2301A1 whose main image is the official shot of OV2302B1.",
        fix="Use an official image of the listed model.",
    ),
    Rule(
        "WM004",
        "main-image-size",
        Severity.WARNING,
        "A main image is smaller than 800×800 or not square",
        what="Reads the image's size from its header: warns when either side is under "
        "800 px, or when the sides differ by more than 1 %.",
        why="The marketplace's image guidelines ask for square main images of at least "
        "800×800 px (the zoom viewer and search thumbnails crop anything else).",
        example="A 640×480 main image.",
        fix="Export the official asset at 800×800 px or more, square.",
    ),
]
