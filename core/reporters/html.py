"""The ``html`` format: one self-contained page for people reviewing a catalog.

The page needs nothing but itself: styles and a little script are inline, images
are small inline JPEG thumbnails, and a Content-Security-Policy forbids any
network request. It shows:

* an overview with a red / yellow / green light, the counts and a link per
  package, with filters by package status, finding severity and rule;
* per package, in a folded ``<details>`` section (so a 500-package page opens
  fast and images load only when unfolded): the findings, thumbnails of the
  main images with the detected watermark box (and any finding's box) drawn on
  them, the manuals' language coverage, the certificates with their dates and
  status, and the detail page's videos.

What the plugins found beyond findings comes from ``ListingResult.facts`` in the
shapes documented for plugin authors (``facts["watermark"][file]``,
``facts["manuals"][file]``, ``facts["certificates"][file]``,
``facts["video"][file]``); the images are read from the package (folder or zip)
while the report is written. An image that cannot be read is named, not shown.
Open ``report.html#all`` to unfold every package, ``#pkg-3`` for one;
``#rule=WM001`` or ``#status=fail`` opens the page with that filter set.
"""

from __future__ import annotations

import base64
import html
import io
import zipfile
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..baseline import package_key
from ..hookspecs import hookimpl
from ..i18n import N_, translate, translator
from ..model import Finding, ListingResult, RunInfo, Severity, Status, Summary
from .base import OutputFormat, ReportWriter, escape_controls

PLUGIN_NAME = "html-format"

THUMBNAIL_PX = 256
THUMBNAIL_QUALITY = 70
#: A thumbnail larger than this is encoded again smaller (busy photos).
THUMBNAIL_BYTES = 12 * 1024
#: Past this many bytes of thumbnails in one page, further images are named only.
PAGE_THUMBNAIL_BYTES = 8 * 1024 * 1024
MAX_THUMBNAILS = 6  # per package: enough to review, light enough for 500 packages
MAX_IMAGE_BYTES = 40 * 1024 * 1024
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp")
_LIGHT_WORD = {Status.FAIL: "fail", Status.WARN: "warn", Status.PASS: "pass"}


def esc(value: object) -> str:
    """HTML-escape anything for text or a quoted attribute."""
    return html.escape(escape_controls(str(value)), quote=True)


# -- reading images ----------------------------------------------------------


def read_package_file(package: str, relative: str, limit: int = MAX_IMAGE_BYTES) -> bytes | None:
    """The bytes of a package-relative file, from a folder or a zip (whose
    single top-level folder, if any, is the package root); ``None`` when it is
    absent, too large, or would leave the package."""
    root = Path(package)
    try:
        if root.is_file() and zipfile.is_zipfile(root):
            with zipfile.ZipFile(root) as archive:
                names = {info.filename: info for info in archive.infolist()}
                tops = {name.split("/", 1)[0] for name in names}
                candidates = [relative]
                if len(tops) == 1:
                    candidates.append(f"{next(iter(tops))}/{relative}")
                for name in candidates:
                    info = names.get(name)
                    if info is not None and not info.is_dir() and info.file_size <= limit:
                        return archive.read(info)
            return None
        base = root.resolve()
        target = (root / relative).resolve()
        # Never follow a path out of the package (the loader refuses them too).
        if not target.is_relative_to(base) or not target.is_file():
            return None
        if target.stat().st_size > limit:
            return None
        return target.read_bytes()
    except (OSError, zipfile.BadZipFile, RuntimeError, ValueError):
        return None


def thumbnail(data: bytes, max_px: int = THUMBNAIL_PX) -> tuple[str, int, int, int, int] | None:
    """``(base64 JPEG, thumb width, thumb height, original width, original
    height)`` for image bytes, or ``None`` when Pillow cannot decode them."""
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as source:
            width, height = source.size
            source.draft("RGB", (max_px, max_px))  # JPEG: decode at reduced scale, fast
            source.load()
            image: Image.Image = source
            if image.mode not in ("RGB", "L"):
                rgba = image.convert("RGBA")
                image = Image.new("RGB", rgba.size, (255, 255, 255))
                image.paste(rgba, mask=rgba.getchannel("A"))
            else:
                image = image.convert("RGB")
            image.thumbnail((max_px, max_px))
            final, encoded = image, _jpeg(image, THUMBNAIL_QUALITY)
            # A busy photo can make a 256 px JPEG large: step down until it fits.
            for px, quality in ((max_px, 55), (max_px * 3 // 4, 55), (max_px * 5 // 8, 50)):
                if len(encoded) <= THUMBNAIL_BYTES:
                    break
                final = image.copy()
                final.thumbnail((px, px))
                encoded = _jpeg(final, quality)
    except Exception:  # any decoder failure: the report names the file instead
        return None
    text = base64.b64encode(encoded).decode("ascii")
    return text, final.width, final.height, width, height


def _jpeg(image: Any, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=quality, optimize=True)
    return out.getvalue()


# -- rendering one package ---------------------------------------------------


def _dict(value: Any) -> dict[str, Any]:
    """``value`` when it is a dict, else an empty one: facts come from plugins."""
    return value if isinstance(value, dict) else {}


def _where(finding: Finding) -> str:
    return finding.location.describe()


def _findings_table(findings: list[Finding], lang: str = "en") -> str:
    tr = translator(lang)
    if not findings:
        return f'<p class="none">{esc(tr("No findings."))}</p>'
    rows = []
    for finding in findings:
        severity = (finding.severity or Severity.ERROR).value
        rule = esc(finding.rule)
        if finding.docs:
            rule = f'<a href="{esc(finding.docs)}" rel="noreferrer">{rule}</a>'
        hint = (
            f'<div class="hint">{esc(tr("hint: {hint}", hint=translate(finding.hint, lang)))}</div>'
            if finding.hint
            else ""
        )
        rows.append(
            f'<tr class="finding" data-severity="{esc(severity)}" data-rule="{esc(finding.rule)}">'
            f'<td><span class="sev {esc(severity)}">{esc(tr(severity))}</span></td>'
            f"<td>{rule}</td><td><code>{esc(_where(finding))}</code></td>"
            f'<td><span class="msg">{esc(translate(finding.message, lang))}</span>{hint}</td></tr>'
        )
    return (
        f'<table class="findings"><thead><tr><th>{esc(tr("severity"))}</th>'
        f"<th>{esc(tr('rule'))}</th><th>{esc(tr('where'))}</th>"
        f"<th>{esc(tr('message'))}</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _box(bbox: Any, width: int, height: int, css: str, label: str) -> str:
    try:
        x, y, w, h = (float(v) for v in bbox)
    except (TypeError, ValueError):
        return ""
    if width <= 0 or height <= 0 or w <= 0 or h <= 0:
        return ""
    style = (
        f"left:{100 * x / width:.2f}%;top:{100 * y / height:.2f}%;"
        f"width:{100 * w / width:.2f}%;height:{100 * h / height:.2f}%"
    )
    return f'<span class="{css}" style="{style}" title="{esc(label)}"></span>'


def _images(listing: ListingResult, budget: list[int], lang: str = "en") -> str:
    """The thumbnails section; ``budget`` is ``[bytes left for this page]``."""
    tr = translator(lang)
    facts = _dict(_dict(listing.facts).get("watermark"))
    boxes: dict[str, list[Finding]] = {}
    files = list(facts)
    for finding in listing.findings:
        file = finding.location.file
        if file and file.lower().endswith(IMAGE_SUFFIXES):
            if file not in files:
                files.append(file)
            if finding.location.bbox:
                boxes.setdefault(file, []).append(finding)
    if not files:
        return ""
    figures = []
    for file in files[:MAX_THUMBNAILS]:
        fact = _dict(facts.get(file))
        over_budget = budget[0] <= 0
        data = None if over_budget else read_package_file(listing.package, file)
        thumb = thumbnail(data) if data is not None else None
        if thumb is not None:
            budget[0] -= len(thumb[0])
        caption = [f"<code>{esc(file)}</code>"]
        mark = fact.get("watermark") if isinstance(fact.get("watermark"), dict) else None
        mark_found = bool(mark and mark.get("found"))
        if mark is not None:
            found = bool(mark.get("found"))
            score = mark.get("score")
            score_text = (
                tr(" (score {score:.2f})", score=score) if isinstance(score, (int, float)) else ""
            )
            state = tr("watermark found") if found else tr("watermark not found")
            caption.append(
                f'<span class="{"ok" if found else "bad"}">{esc(state)}{esc(score_text)}</span>'
            )
        asset = _dict(fact.get("asset"))
        if asset:
            caption.append(
                esc(
                    tr(
                        "asset {id} ({model}, distance {distance})",
                        id=str(asset.get("id", "?")),
                        model=str(asset.get("model", "?")),
                        distance=str(asset.get("distance", "?")),
                    )
                )
            )
        if thumb is None:
            why = esc(
                tr("not shown: report size budget") if over_budget else tr("image not readable")
            )
            figures.append(
                f'<figure class="thumb missing"><div class="noimg">{why}</div>'
                f"<figcaption>{'<br>'.join(caption)}</figcaption></figure>"
            )
            continue
        encoded, tw, th, ow, oh = thumb
        width = fact["width"] if isinstance(fact.get("width"), int) else ow
        height = fact["height"] if isinstance(fact.get("height"), int) else oh
        overlay = ""
        if mark is not None and mark_found and mark.get("bbox"):
            overlay += _box(mark["bbox"], width, height, "box wm", tr("detected watermark"))
        for finding in boxes.get(file, []):
            overlay += _box(finding.location.bbox, width, height, "box finding", finding.rule)
        figures.append(
            f'<figure class="thumb"><div class="frame">'
            f'<img src="data:image/jpeg;base64,{encoded}" width="{tw}" height="{th}" '
            f'loading="lazy" decoding="async" alt="{esc(file)}">{overlay}</div>'
            f"<figcaption>{'<br>'.join(caption)}</figcaption></figure>"
        )
    more = len(files) - MAX_THUMBNAILS
    note = (
        f'<p class="none">{esc(tr("{count} more image(s) not shown.", count=more))}</p>'
        if more > 0
        else ""
    )
    return f'<h3>{esc(tr("Images"))}</h3><div class="thumbs">{"".join(figures)}</div>{note}'


def _titled_table(title: str, heads: list[str], rows: list[str]) -> str:
    """A heading and a table of already-rendered ``<tr>`` rows (``heads`` are escaped)."""
    head = "".join(f"<th>{esc(h)}</th>" for h in heads)
    return (
        f"<h3>{esc(title)}</h3><table><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _plugin_facts(listing: ListingResult, plugin: str) -> dict[str, dict[str, Any]]:
    facts = listing.facts.get(plugin) if isinstance(listing.facts, dict) else None
    if not isinstance(facts, dict):
        return {}
    return {k: v for k, v in sorted(facts.items()) if isinstance(v, dict)}


def _manuals(listing: ListingResult, lang: str = "en") -> str:
    tr = translator(lang)
    manuals = _plugin_facts(listing, "manuals")
    if not manuals:
        return ""
    rows = []
    for file, fact in manuals.items():
        languages = _dict(fact.get("languages"))
        found = []
        for code, info in sorted(languages.items()):
            info = _dict(info)
            pages = info.get("pages")
            where = ""
            if isinstance(pages, list) and len(pages) == 2:
                where = f" p.{pages[0]}" + (f"–{pages[1]}" if pages[1] != pages[0] else "")
            chars = info.get("chars")
            chars_text = tr(", {chars} chars", chars=chars) if isinstance(chars, int) else ""
            found.append(f'<span class="lang">{esc(code)}</span>{esc(where + chars_text)}')
        text = fact.get("text")
        none_found = f"<em>{esc(tr('none found'))}</em>"
        models = fact.get("models_seen")
        models_text = ", ".join(map(str, models)) if isinstance(models, list) else ""
        rows.append(
            f"<tr><td><code>{esc(file)}</code></td><td>{esc(fact.get('pages', ''))}</td>"
            f"<td>{esc(tr('yes') if text else tr('no') if text is not None else '?')}</td>"
            f"<td>{'; '.join(found) or none_found}</td><td>{esc(models_text)}</td></tr>"
        )
    heads = [tr("manual"), tr("pages"), tr("text"), tr("languages (pages)"), tr("models seen")]
    return _titled_table(tr("Manuals: language coverage"), heads, rows)


def _certificates(listing: ListingResult, lang: str = "en") -> str:
    tr = translator(lang)
    certificates = _plugin_facts(listing, "certificates")
    if not certificates:
        return ""
    rows = []
    for file, fact in certificates.items():
        status = str(fact.get("status") or "unknown")
        css = status if status in ("valid", "expiring", "expired") else "unknown"
        cells = [fact.get(k) or "" for k in ("type", "kind", "number", "issued", "expires")]
        rows.append(
            f"<tr><td><code>{esc(file)}</code></td>"
            + "".join(f"<td>{esc(c)}</td>" for c in cells)
            + f'<td><span class="cert {css}">{esc(tr(status))}</span></td></tr>'
        )
    heads = [
        tr("file"),
        tr("type"),
        tr("kind"),
        tr("number"),
        tr("issued"),
        tr("expires"),
        tr("status"),
    ]
    return _titled_table(tr("Certificates"), heads, rows)


def _videos(listing: ListingResult, lang: str = "en") -> str:
    pages = _plugin_facts(listing, "video")
    items = []
    for file, fact in pages.items():
        videos = fact.get("videos")
        for video in videos if isinstance(videos, list) else []:
            if not isinstance(video, dict):
                continue
            items.append(
                f"<li><code>{esc(file)}:{esc(video.get('line', '?'))}</code> "
                f"{esc(video.get('source', ''))}: <code>{esc(video.get('url', ''))}</code></li>"
            )
    title = esc(translator(lang)("Videos"))
    return f"<h3>{title}</h3><ul>{''.join(items)}</ul>" if items else ""


def _counts(findings: Iterable[Finding]) -> Counter[str]:
    return Counter((f.severity or Severity.ERROR).value for f in findings)


# -- the page ----------------------------------------------------------------

_CSS = """
:root{--fail:#d73a49;--warn:#dbab09;--pass:#28a745;--ink:#1f2328;--mute:#656d76}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,sans-serif;color:var(--ink);margin:0;padding:0 24px 48px}
header{padding:16px 0;border-bottom:1px solid #d0d7de;margin-bottom:12px}
h1{font-size:20px;margin:0 0 4px}
.meta{color:var(--mute)}
.light{display:inline-block;width:14px;height:14px;border-radius:50%;vertical-align:middle}
.light.fail{background:var(--fail)}
.light.warn{background:var(--warn)}
.light.pass{background:var(--pass)}
.tally span{margin-right:14px}
table{border-collapse:collapse;margin:6px 0 12px}
th,td{border-bottom:1px solid #d8dee4;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa}
td.n{text-align:right}
.filters{margin:12px 0;padding:8px;background:#f6f8fa;border-radius:6px}
.filters label{margin-right:12px}
details.pkg{border:1px solid #d0d7de;border-radius:6px;margin:8px 0;padding:0 12px}
details.pkg>summary{cursor:pointer;padding:8px 0;font-weight:600}
.sev{padding:1px 6px;border-radius:10px;color:#fff;white-space:nowrap}
.sev.error{background:var(--fail)}
.sev.warning{background:var(--warn);color:#000}
.sev.info{background:#0969da}
.hint{color:var(--mute)}
.thumbs{display:flex;flex-wrap:wrap;gap:12px}
.thumb{margin:0;max-width:260px}
.frame{position:relative;display:inline-block;line-height:0}
.frame img{border:1px solid #d0d7de}
.box{position:absolute;border:2px dashed #ffd33d;box-shadow:0 0 0 1px #000,inset 0 0 0 1px #000}
.box.finding{border-color:var(--fail)}
.noimg{width:160px;height:100px;display:flex;align-items:center;justify-content:center;background:#eee;color:var(--mute)}
figcaption{font-size:12px;color:var(--mute);margin-top:4px}
.ok{color:var(--pass)}
.bad{color:var(--fail)}
.cert{padding:1px 6px;border-radius:10px}
.cert.valid{background:#dafbe1}
.cert.expiring{background:#fff8c5}
.cert.expired{background:#ffebe9}
.cert.unknown{background:#eee}
.lang{font-weight:600}
.none{color:var(--mute)}
.hidden{display:none!important}
#js-errors{color:var(--fail);white-space:pre-wrap}
"""

# Plain ES2017, no libraries. Any error lands in #js-errors, so a test (or a
# reader) sees it in the DOM without a devtools console.
_JS = """
(function(){
  var errs=document.getElementById('js-errors');
  function report(msg){errs.hidden=false;errs.textContent+=msg+'\\n';
    errs.dataset.count=String(Number(errs.dataset.count||0)+1);}
  window.addEventListener('error',function(e){report('error: '+e.message);});
  window.addEventListener('unhandledrejection',function(e){report('rejection: '+e.reason);});
  try{
    var form=document.getElementById('filters');
    var pkgs=Array.prototype.slice.call(document.querySelectorAll('details.pkg'));
    var rows={};
    document.querySelectorAll('tr.pkg-row').forEach(function(r){rows[r.dataset.target]=r;});
    function checked(name){var o={};form.querySelectorAll('input[name='+name+']').forEach(
      function(i){o[i.value]=i.checked;});return o;}
    function apply(){
      var st=checked('status'),sev=checked('severity'),shown=0;
      var rule=form.querySelector('select').value;
      pkgs.forEach(function(p){
        var any=false,list=p.querySelectorAll('tr.finding');
        list.forEach(function(f){var ok=sev[f.dataset.severity]&&(!rule||f.dataset.rule===rule);
          f.classList.toggle('hidden',!ok);if(ok){any=true;}});
        var rules=(p.dataset.rules||'').split(' ');
        var vis=st[p.dataset.status]&&(!rule||rules.indexOf(rule)>=0)&&(list.length===0||any);
        p.classList.toggle('hidden',!vis);if(rows[p.id]){rows[p.id].classList.toggle('hidden',!vis);}
        if(vis){shown++;}
      });
      var out=document.getElementById('shown');
      out.textContent=(out.dataset.template||'{shown} of {total} packages shown')
        .replace('{shown}',shown).replace('{total}',pkgs.length);
    }
    form.addEventListener('change',apply);
    // #all unfolds everything, #pkg-N one package; #rule=CODE and
    // #status=fail preset the filters (links a CI comment can carry).
    function openHash(){var h=decodeURIComponent(location.hash.slice(1));
      if(h==='all'){pkgs.forEach(function(p){p.open=true;});}
      else if(h.indexOf('rule=')===0){form.querySelector('select').value=h.slice(5);}
      else if(h.indexOf('status=')===0){form.querySelectorAll('input[name=status]').forEach(
        function(i){i.checked=(i.value===h.slice(7));});}
      else if(h){var p=document.getElementById(h);if(p&&p.tagName==='DETAILS'){p.open=true;}}
      apply();}
    window.addEventListener('hashchange',openHash);
    openHash();
    document.body.dataset.ready='1';
  }catch(e){report('error: '+e.message);}
})();
"""

_CSP = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
    "script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
)


class HtmlWriter(ReportWriter):
    def start(self, run: RunInfo) -> None:
        self.run = run
        self.rows: list[str] = []
        self.sections: list[str] = []
        self.rules_seen: Counter[str] = Counter()
        self.budget = [PAGE_THUMBNAIL_BYTES]

    def add(self, listing: ListingResult) -> None:
        # Rendered now, while the package (and its images) is certainly there.
        number = len(self.sections) + 1
        anchor = f"pkg-{number}"
        key = package_key(listing.package)
        status = _LIGHT_WORD[listing.status]
        counts = _counts(listing.findings)
        codes = sorted({f.rule for f in listing.findings})
        self.rules_seen.update(f.rule for f in listing.findings)
        sku = f" ({esc(listing.sku)})" if listing.sku else ""
        lang = self.options.lang
        tr = translator(lang)
        word = esc(tr(status))
        tally = tr(", ").join(
            tr(template, count=counts[s])
            for s, template in (
                ("error", N_("{count} error")),
                ("warning", N_("{count} warning")),
                ("info", N_("{count} info")),
            )
            if counts[s]
        )
        self.rows.append(
            f'<tr class="pkg-row" data-target="{anchor}" data-status="{status}">'
            f'<td><span class="light {status}" title="{word}"></span> {word}</td>'
            f'<td><a href="#{anchor}">{esc(key)}</a></td><td>{esc(listing.sku or "")}</td>'
            f'<td class="n">{counts["error"]}</td><td class="n">{counts["warning"]}</td>'
            f'<td class="n">{counts["info"]}</td></tr>'
        )
        body = (
            f"<h3>{esc(tr('Findings'))}</h3>"
            + _findings_table(listing.findings, lang)
            + _images(listing, self.budget, lang)
            + _manuals(listing, lang)
            + _certificates(listing, lang)
            + _videos(listing, lang)
        )
        self.sections.append(
            f'<details class="pkg" id="{anchor}" data-status="{status}" '
            f'data-rules="{esc(" ".join(codes))}"><summary><span class="light {status}" '
            f'title="{word}"></span> {esc(key)}{sku} <span class="meta">{esc(tally)}</span>'
            f"</summary>{body}</details>"
        )

    def finish(self, summary: Summary) -> None:
        self.stream.write(self.page(summary))

    def page(self, summary: Summary) -> str:
        """The whole document."""
        run = self.run
        lang = self.options.lang
        tr = translator(lang)
        baseline = ""
        suppressed = getattr(summary, "suppressed", None)
        if suppressed is not None:
            stale = getattr(summary, "stale_baseline_entries", 0)
            text = (
                tr(
                    "Baseline: {suppressed} finding(s) suppressed, {stale} stale entry.",
                    suppressed=suppressed,
                    stale=stale,
                )
                if stale == 1
                else tr(
                    "Baseline: {suppressed} finding(s) suppressed, {stale} stale entries.",
                    suppressed=suppressed,
                    stale=stale,
                )
            )
            baseline = f"<p class='meta'>{esc(text)}</p>"
        options = "".join(
            f'<option value="{esc(code)}">{esc(code)} ({n})</option>'
            for code, n in sorted(self.rules_seen.items())
        )
        boxes = "".join(
            f'<label><input type="checkbox" name="status" value="{s}" checked> '
            f'<span class="light {s}"></span> {esc(tr(s))}</label>'
            for s in ("fail", "warn", "pass")
        ) + "".join(
            f'<label><input type="checkbox" name="severity" value="{s}" checked> '
            f"{esc(tr(s))}</label>"
            for s in ("error", "warning", "info")
        )
        t = {
            "title": esc(tr("listguard report")),
            "meta": esc(
                tr(
                    "listguard {version} · checked as of {as_of} ·",
                    version=run.tool_version,
                    as_of=run.as_of,
                )
            ),
            "packages": esc(tr("{count} package(s)", count=summary.listings)),
            "fail": esc(tr("{count} fail", count=summary.failed)),
            "warn": esc(tr("{count} warn", count=summary.warned)),
            "pass": esc(tr("{count} pass", count=summary.passed)),
            "findings": esc(
                tr(
                    "{errors} error(s), {warnings} warning(s), {infos} info",
                    errors=summary.errors,
                    warnings=summary.warnings,
                    infos=summary.infos,
                )
            ),
            "rule": esc(tr("rule")),
            "all_rules": esc(tr("all rules")),
            "shown": esc(tr("{shown} of {total} packages shown", shown="{shown}", total="{total}")),
            "overview": esc(tr("Overview")),
            "heads": "".join(
                f"<th>{esc(tr(h))}</th>"
                for h in (
                    N_("status"),
                    N_("package"),
                    N_("SKU"),
                    N_("errors"),
                    N_("warnings"),
                    N_("info"),
                )
            ),
            "packages_title": esc(tr("Packages")),
            "lang": "zh-CN" if lang == "zh-CN" else "en",
        }
        return f"""<!DOCTYPE html>
<html lang="{t["lang"]}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{t["title"]} ({esc(run.as_of)})</title><style>{_CSS}</style></head>
<body>
<header><h1>{t["title"]}</h1>
<div class="meta">{t["meta"]}
{t["packages"]}</div>
<p class="tally" id="tally"><span><span class="light fail"></span> {t["fail"]}</span>
<span><span class="light warn"></span> {t["warn"]}</span>
<span><span class="light pass"></span> {t["pass"]}</span>
<span>{t["findings"]}</span></p>
{baseline}</header>
<div id="js-errors" hidden data-count="0"></div>
<form class="filters" id="filters" onsubmit="return false">{boxes}
<label>{t["rule"]} <select name="rule"><option value="">{t["all_rules"]}</option>{options}
</select></label>
<span id="shown" class="meta" data-template="{t["shown"]}"></span></form>
<h2>{t["overview"]}</h2>
<table class="overview"><thead><tr>{t["heads"]}</tr></thead>
<tbody>{"".join(self.rows)}</tbody></table>
<h2>{t["packages_title"]}</h2>
{"".join(self.sections)}
<script>{_JS}</script>
</body></html>
"""


@hookimpl
def listguard_output_formats() -> list[OutputFormat]:
    return [
        OutputFormat(
            "html",
            "one self-contained HTML page: traffic lights, findings, thumbnails",
            HtmlWriter,
        )
    ]
