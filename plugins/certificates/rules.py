"""The CERT rules: codes, severities and their documentation pages."""

from __future__ import annotations

from listguard import Rule, Severity

RULES: list[Rule] = [
    Rule(
        "CERT001",
        "required-certificate-missing",
        Severity.ERROR,
        "A certificate the listing's category and markets require is missing",
        what="Compares the certificate types in the manifest with the policy "
        "(`required-certificates`; by default CE for EU markets, FCC for the US when "
        "`radio` is true, EN71 for toys, IEC62471 for lighting).",
        why="The EU's New Legislative Framework (Regulation (EC) 765/2008, Art. 30) makes CE "
        "marking with a declaration of conformity mandatory; 47 CFR Part 2 requires FCC "
        "authorisation for radio devices sold in the US; the Toy Safety Directive 2009/48/EC "
        "and the reseller programme require EN 71 and IEC 62471 test reports.",
        example='A `toy` listing sold in `["ES"]` whose only certificate is `{"type": "CE", ...}`.',
        fix="Add the missing certificate (type, file, number, issue date) to `certificates`.",
    ),
    Rule(
        "CERT002",
        "certificate-expired",
        Severity.ERROR,
        "A certificate has expired as of the check date",
        what="Reads the expiry from the PDF when it states one (`valid until`, `Gültig bis`, "
        "`Valable jusqu'au`, `有效期至`, …), else from the manifest's `expires`; when they "
        "disagree the earlier date is used. Declarations of conformity and FCC grants have no "
        "expiry by law and are never given one.",
        why="The reseller programme delists a product as soon as one of its certificates "
        "expires; an expired EU-type examination certificate no longer supports the CE marking "
        "(Decision 768/2008/EC, Annex II, module B).",
        example="`expires: 2026-10-01` checked with `--as-of 2026-11-22`.",
        fix="Upload the renewed certificate and update `number`, `issued` and `expires`.",
    ),
    Rule(
        "CERT003",
        "certificate-expiring-soon",
        Severity.WARNING,
        "A certificate expires within the warning window",
        what="Same expiry as CERT002; warns when it falls within `warning-days` (default 60) "
        "of the check date.",
        why="Renewal by a notified body or test lab takes weeks; the programme delists on the "
        "expiry day, so sellers need notice.",
        example="`expires: 2026-12-15` checked with `--as-of 2026-11-22`.",
        fix="Start the renewal now; upload the new certificate when it arrives.",
    ),
    Rule(
        "CERT004",
        "test-report-too-old",
        Severity.ERROR,
        "A test report is older than its category allows",
        what="For EN 71 and IEC 62471 test reports, compares the issue date (the earlier of "
        "the PDF's and the manifest's) with the check date: at most 92 days for `toy` and "
        "`lighting` (a quarterly refresh), 365 days otherwise. Options: "
        "`quarterly-max-age-days`, `report-max-age-days`, `quarterly-categories`.",
        why="The reseller programme requires test reports for high-risk categories (toys, LED "
        "lighting) to be refreshed every quarter; EN 71-1/-2/-3 and IEC 62471 results only "
        "describe the production lot tested.",
        example="An IEC62471 report issued 2026-06-15 for a `lighting` listing checked "
        "on 2026-11-22.",
        fix="Have current production retested and upload the new report.",
    ),
    Rule(
        "CERT005",
        "certificate-contradicts-manifest",
        Severity.ERROR,
        "The PDF contradicts the manifest (number, dates, standards or kind)",
        what="Extracts the certificate number, issue and expiry dates, cited standards (with "
        "editions) and document kind from the PDF and compares them with the manifest entry. "
        "Editions are compared without their corrigenda (`+AC:2015`, `/AC:2015`), which "
        "correct printing errors and change no requirement; the finding's evidence lists the "
        "corrigenda left out.",
        why="Marketplace reviewers reject uploads whose document does not match what the "
        "listing declares; a mismatch usually means the wrong or an outdated file "
        "(Regulation (EU) 2019/1020, Art. 4: the documentation must match the product).",
        example="Manifest `number: ORV-DOC-1`, PDF `Declaration No.: ORV-DOC-2`.",
        fix="Upload the document the manifest describes, or correct the manifest to match it.",
    ),
    Rule(
        "CERT006",
        "certificate-model-not-covered",
        Severity.ERROR,
        "The certificate does not cover this model",
        what="Looks for each of the entry's `models` (default: the listing's `model`) in the "
        "PDF's text, ignoring case, spaces and hyphens.",
        why="A certificate or declaration applies only to the models it identifies "
        "(Decision 768/2008/EC, Annex III, item 1 and 4); the programme rejects certificates "
        "of other models.",
        example="A listing for `OV2301A1` whose DoC names only `OV2299A1`.",
        fix="Upload the certificate issued for this model, or have the model added to it.",
    ),
    Rule(
        "CERT007",
        "certificate-not-readable",
        Severity.WARNING,
        "The certificate PDF cannot be read as text, so nothing in it could be verified",
        what="Reports a certificate PDF that has no text layer (a scan, an image-only PDF) or "
        "that needs a password. Expiry is then judged from the manifest alone.",
        why="Number, dates, standards and models cannot be checked against the manifest; "
        "reviewers and customs need a searchable document.",
        example="A DoC that was printed, signed and scanned to an image-only PDF.",
        fix="Upload the original (text) PDF, or run OCR on the scan and remove any password.",
    ),
    Rule(
        "CERT008",
        "declaration-incomplete",
        Severity.ERROR,
        "A CE declaration of conformity lacks a mandatory element",
        what="Checks a CE declaration of conformity for each element of Decision 768/2008/EC "
        "Annex III, in English, German, French, Spanish, Italian, Dutch, Polish and Portuguese. "
        "For item 7 it says which half is missing: the place of issue, the date, or both.",
        why="Decision No 768/2008/EC Annex III (and e.g. Annex VI of the RED 2014/53/EU) "
        "fixes the content of the EU declaration of conformity; an incomplete one is not valid.",
        example="A DoC with no statement that it is issued under the manufacturer's sole "
        "responsibility.",
        fix="Reissue the declaration following the Annex III model, with every element.",
    ),
    Rule(
        "CERT009",
        "fcc-id-malformed",
        Severity.ERROR,
        "An FCC ID is malformed",
        what="Checks FCC IDs (the manifest number of an FCC grant, and every `FCC ID:` in "
        "the PDF): a grantee code of 3 characters (5 when it starts with 2) followed by a "
        "product code of 1 to 14 characters, upper-case letters, digits and dashes only.",
        why="47 CFR 2.926: the FCC identifier consists of the grantee code assigned by the "
        "Commission and the equipment product code assigned by the grantee (at most 14 "
        "characters).",
        example="`2BOR-OV2301A1` (a 4-character grantee code).",
        fix="Copy the FCC ID exactly as it appears on the grant (fccid.io or the FCC EAS).",
    ),
]
