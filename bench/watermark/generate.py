"""Generate the labelled watermark benchmark corpus from a fixed seed.

    .venv/bin/python bench/watermark/generate.py --seed 20261201 --out bench/out/watermark

Writes (git-ignored, under bench/out/):

* ``kit/``: an Orvina brand kit: ``watermark.png`` (the mark), ``official/*.jpg``
  (the official asset masters, 1600 px, mark composited at a random place,
  scale 0.4-1.6 and opacity 0.25-0.9) and ``brandkit.json`` built with
  ``listguard brandkit build`` itself;
* ``images/*.jpg`` and ``labels.jsonl``, one line per image: what it is
  (``kind``), its base style, the mark's parameters and the truth per rule.

Kinds (each image degraded as a seller's pipeline would: resize to 50-100 %,
JPEG quality 50-95, and for official assets a crop of up to 3 %):

* ``official``: an official asset (mark present, in the library);
* ``counterfeit``: a foreign image with the genuine mark pasted on (WM001
  must pass, WM002 must fail);
* ``plain``: a foreign image, no mark; ``lookalike``: a foreign image with a
  look-alike mark (same badge and layout, other word and code);
* ``stripped``: an official asset's photo without its mark (as if the mark had
  been removed), degraded like an official copy. It still matches its asset
  (WM002 passes), so WM001 first looks for the mark where the asset has it:
  these are the negatives that keep that shortcut honest;
* ``swapped``: an official asset's photo with a look-alike badge (another word,
  or the frame alone) where its mark was, as strong or up to 1.5× stronger,
  degraded like an official copy: the negatives of the test that a copy's
  window round the mark is the asset's own.

Base styles: ``photo`` (colour field, blobs, grain), ``product`` (studio shot on
white) and ``texture`` (fine noise, stripes, printed text, gravel), in equal parts.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synth

MODELS = [f"OV3{n:02d}0A1" for n in range(10)]
ASSETS_PER_MODEL = 5
MASTER_SIZE = 1600
COUNTS = {
    "official": 1000,
    "counterfeit": 400,
    "plain": 600,
    "lookalike": 500,
    "stripped": 200,
    "swapped": 150,
}


def mark_params(rng: random.Random) -> dict[str, Any]:
    return {
        "scale": round(rng.uniform(0.4, 1.6), 3),
        "opacity": round(rng.uniform(0.25, 0.9), 3),
        "where": [round(rng.random(), 3), round(rng.random(), 3)],
    }


def master_base(seed: int, index: int) -> tuple[Any, str, random.Random]:
    """Master ``index``'s photo before its mark is put on, its style, and the
    generator's state after drawing it (the mark's parameters come next)."""
    rng = random.Random(f"{seed}-master-{index}")
    style = list(synth.STYLES)[index % 3]
    return synth.STYLES[style](MASTER_SIZE, rng), style, rng


def make_master(args: tuple[int, int, str, str]) -> dict[str, Any]:
    seed, index, out, template = args
    base, style, rng = master_base(seed, index)
    params = mark_params(rng)
    marked, bbox = synth.paste_mark(
        base, synth.load_mark(template), params["scale"], params["opacity"], tuple(params["where"])
    )
    model = MODELS[index // ASSETS_PER_MODEL]
    asset_id = f"{model}-{index % ASSETS_PER_MODEL + 1:02d}"
    marked.save(Path(out) / "kit" / "official" / f"{asset_id}.jpg", "JPEG", quality=95)
    return {"id": asset_id, "model": model, "style": style, "bbox": bbox, **params}


def make_item(args: tuple[int, str, int, str, str, list[dict[str, Any]]]) -> dict[str, Any]:
    seed, kind, index, out, template, masters = args
    rng = random.Random(f"{seed}-{kind}-{index}")
    name = f"{kind}-{index:04d}.jpg"
    record: dict[str, Any] = {"file": name, "kind": kind}
    crop = 0.0
    if kind == "official":
        master = masters[rng.randrange(len(masters))]
        image = synth.Image.open(Path(out) / "kit" / "official" / f"{master['id']}.jpg")
        image = image.convert("RGB")
        record |= {"asset": master["id"], "model": master["model"], "style": master["style"]}
        record |= {k: master[k] for k in ("scale", "opacity")}
        crop = 0.03
    elif kind in ("stripped", "swapped"):
        number = rng.randrange(len(masters))
        master = masters[number]
        image, _, _ = master_base(seed, number)
        record |= {"asset": master["id"], "model": master["model"], "style": master["style"]}
        if kind == "swapped":
            badges = [*synth.LOOKALIKE_WORDS, ("", "")]  # another word, or the frame alone
            word = badges[rng.randrange(len(badges))]
            opacity = round(min(0.95, master["opacity"] * rng.uniform(1.0, 1.5)), 3)
            image, _ = synth.paste_mark(
                image, synth.draw_mark(*word), master["scale"], opacity, tuple(master["where"])
            )
            record |= {"scale": master["scale"], "opacity": opacity, "badge": word[0] or "frame"}
        crop = 0.03
    else:
        style = list(synth.STYLES)[index % 3]
        image = synth.STYLES[style](rng.choice([1000, 1200, 1600]), rng)
        record["style"] = style
        if kind in ("counterfeit", "lookalike"):
            params = mark_params(rng)
            word = rng.choice(synth.LOOKALIKE_WORDS) if kind == "lookalike" else None
            mark = synth.draw_mark(*word) if word else synth.load_mark(template)
            image, _ = synth.paste_mark(
                image, mark, params["scale"], params["opacity"], tuple(params["where"])
            )
            record |= {k: params[k] for k in ("scale", "opacity")}
    degraded, factor, quality = synth.degrade(image, rng, crop=crop)
    degraded.save(Path(out) / "images" / name, "JPEG", quality=95)
    record |= {"resize": round(factor, 3), "quality": quality, "crop": crop}
    record["mark"] = kind in ("official", "counterfeit")
    record["official"] = kind == "official"
    return record


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--out", type=Path, default=Path("bench/out/watermark"))
    parser.add_argument("--template", help="use this RGBA mark instead of the drawn one")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--fraction", type=float, default=1.0, help="a smaller corpus, for trials")
    parser.add_argument(
        "--only",
        choices=list(COUNTS),
        help="(re)make only this kind's images in an existing corpus, with its masters and kit",
    )
    args = parser.parse_args()
    out: Path = args.out
    (out / "kit" / "official").mkdir(parents=True, exist_ok=True)
    (out / "images").mkdir(parents=True, exist_ok=True)
    template = args.template or str(out / "kit" / "watermark.png")
    if args.only:
        return remake(args)
    if not args.template:
        synth.draw_mark().save(template)
    else:
        synth.load_mark(template).save(out / "kit" / "watermark.png")
    with ProcessPoolExecutor(args.jobs) as pool:
        jobs = [(args.seed, i, str(out), template) for i in range(len(MODELS) * ASSETS_PER_MODEL)]
        masters = list(pool.map(make_master, jobs))
        mapping = "file,model,id\n" + "".join(
            f"{m['id']}.jpg,{m['model']},{m['id']}\n" for m in masters
        )
        (out / "kit" / "official" / "mapping.csv").write_text(mapping)
        kit = {
            "brand": "Orvina",
            "watermark": {"template": "watermark.png"},
            "models": {m: {"name": f"Orvina {m}"} for m in MODELS},
        }
        (out / "kit" / "brandkit.json").write_text(json.dumps(kit, indent=2))
        from listguard.cli import main as listguard

        if listguard(["brandkit", "build", str(out / "kit" / "official")]) != 0:
            return 1
        items = [
            (args.seed, kind, i, str(out), template, masters)
            for kind, count in COUNTS.items()
            for i in range(round(count * args.fraction))
        ]
        records = list(pool.map(make_item, items, chunksize=8))
    with (out / "labels.jsonl").open("w") as handle:
        for record in records:
            handle.write(json.dumps(record) + "\n")
    (out / "masters.json").write_text(json.dumps(masters, indent=1))
    # What --only needs to remake a kind as this run made it.
    corpus = {"seed": args.seed, "fraction": args.fraction, "template": args.template}
    (out / "corpus.json").write_text(json.dumps(corpus) + "\n")
    print(f"{out}: {len(masters)} official masters, {len(records)} images")
    return 0


def remake(args: argparse.Namespace) -> int:
    """``--only KIND``: that kind's images again (the others, the masters and the
    kit are kept; an image depends only on the seed, its kind and its number).
    The seed and fraction are the corpus's own (``corpus.json``), not the
    command line's: another seed would pair the masters with other photos."""
    out: Path = args.out
    masters = json.loads((out / "masters.json").read_text())
    recorded = out / "corpus.json"
    if not recorded.is_file():
        print(
            f"{recorded} is missing: --only needs the corpus's seed and fraction", file=sys.stderr
        )
        return 2
    corpus = json.loads(recorded.read_text())
    seed, fraction = int(corpus["seed"]), float(corpus["fraction"])
    if (args.seed, args.fraction) != (seed, fraction):
        print(
            f"--only: using the corpus's own seed {seed} and fraction {fraction}", file=sys.stderr
        )
    template = str(out / "kit" / "watermark.png")  # the corpus's own mark, whatever --template
    items = [
        (seed, args.only, i, str(out), template, masters)
        for i in range(round(COUNTS[args.only] * fraction))
    ]
    with ProcessPoolExecutor(args.jobs) as pool:
        made = list(pool.map(make_item, items, chunksize=8))
    labels = out / "labels.jsonl"
    kept = [line for line in labels.open() if json.loads(line)["kind"] != args.only]
    labels.write_text("".join(kept) + "".join(json.dumps(r) + "\n" for r in made))
    print(f"{out}: {len(made)} {args.only} images (re)made, {len(kept) + len(made)} in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
