"""Make the handout's shipped fonts (development time only): DejaVu Sans and DejaVu Sans Bold from
Debian's fonts-dejavu-core, cut down to Latin, Greek, Cyrillic and the punctuation and symbols the
handout prints, so the package stays small. Chinese, Japanese and Korean come from a system font at
run time (see planner/handout.py). Run: python3 scripts/subset_handout_fonts.py
"""

from __future__ import annotations

import shutil
from pathlib import Path

from fontTools import subset

SOURCE = Path("/usr/share/fonts/truetype/dejavu")
LICENCE = Path("/usr/share/doc/fonts-dejavu-core/copyright")
TARGET = Path(__file__).resolve().parents[1] / "planner" / "data" / "fonts"
UNICODE_RANGES = (
    (0x0020, 0x007E),  # Basic Latin
    (0x00A0, 0x024F),  # Latin-1 Supplement, Latin Extended-A and -B
    (0x0300, 0x036F),  # combining accents (names typed in decomposed form)
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x052F),  # Cyrillic and its supplement
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese, Welsh)
    (0x2000, 0x206F),  # General Punctuation (– — ‘ ’ “ ” • …)
    (0x20A0, 0x20CF),  # currency
    (0x2100, 0x215F),  # letterlike symbols, number forms (½ ⅓)
    (0x2190, 0x21FF),  # arrows (→)
    (0x2200, 0x22FF),  # mathematical operators (≤ ≥ ×)
    (0x25A0, 0x25FF),  # geometric shapes (● ■ □)
    (0x2713, 0x2717),  # check and cross marks
)


def main() -> None:
    codepoints = [code for low, high in UNICODE_RANGES for code in range(low, high + 1)]
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        options = subset.Options()
        options.layout_features = ["*"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        font = subset.load_font(str(SOURCE / name), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=codepoints)
        subsetter.subset(font)
        out = TARGET / name
        subset.save_font(font, str(out), options)
        print(f"{out.name}: {out.stat().st_size / 1024:.0f} KiB")
    shutil.copy(LICENCE, TARGET / "DejaVu-LICENSE.txt")


if __name__ == "__main__":
    main()
