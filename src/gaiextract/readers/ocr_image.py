"""Page-image geometry for the OCR reader: ink mask, skew, sideways pages, rules.

Plain numpy over a grey page image (OpenCV only for a median filter, see
:func:`median`). Everything here uses projection profiles of the binarised page:

* **skew**: text lines make the row profile (ink per pixel row) spiky; turned by
  the right angle the spikes are sharpest. We try small angles on a reduced
  image and keep the one whose profile has the most energy in its differences.
* **sideways** (a page fed at 90°): the column profile is then the spiky one.
* **rules**: table rules are long unbroken runs of ink along a row (or a
  column); runs of text are short. Runs on neighbouring pixel rows are one rule
  (a rule is 1–3 px thick at 150–200 dpi).
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from PIL import Image

from ..limits import require_positive
from .pdf_page import POINTS_PER_INCH

#: the grey level of white paper in an 8-bit image (a mask's True drawn as an image)
_WHITE = 255
#: a mask drawn as an image and turned (nearest neighbour: every pixel stays 0 or
#: _WHITE) is a mask again above this level
_HALF_GREY = 127


@dataclass(frozen=True)
class ImageSettings:
    """Tolerances of the image geometry (pixels at the rendering dpi, or degrees)."""

    #: largest skew looked for, and the step (degrees)
    max_skew: float = 2.0
    skew_step: float = 0.1
    #: skew smaller than this is left alone (rotating blurs)
    min_skew: float = 0.08
    #: the skew search runs on the page reduced by this factor
    skew_reduce: int = 3
    #: the column profile must beat the row profile by this factor to call a page sideways
    sideways_ratio: float = 1.5
    #: a rule is a run of ink at least this long (points; converted with the dpi)
    rule_min_pt: float = 40.0
    #: beside a rule (this many pixels off it, on both sides) the page is mostly
    #: blank; along a line of text it is not. Share of ink allowed there:
    rule_side_px: tuple[int, int] = (3, 6)
    rule_side_ink: float = 0.4
    #: stricter for vertical rules: a stroke of a Han character has its other
    #: strokes beside it (measured: struts <= 0.14, strokes >= 0.28)
    vrule_side_ink: float = 0.2
    #: rule pixels on rows this far apart are one rule
    rule_join_px: int = 3
    #: a rule may have gaps this long (pixels) from noise or JPEG; less for
    #: vertical rules, or a stroke of a character joins the rule above it
    rule_gap_px: int = 3
    vrule_gap_px: int = 1
    #: struts: rows this high (pixels), inked over this share of their height
    strut_min_px: int = 10
    strut_max_px: int = 200
    strut_cover: float = 0.97
    #: shaded cells (WPS's light-blue block rows scan as mid grey, and half their
    #: pixels pass the lenient ink threshold): a pixel between the ink threshold
    #: and this many levels under the paper, whose neighbourhood (a window this
    #: wide) is as grey, is shading, and is made paper before rules are looked for
    shade_margin: int = 12
    shade_window: int = 5
    #: ... only on a page where at least this share of pixels is shading
    shade_min_share: float = 0.002
    #: a table row whose rules overlap over fewer pixels than this has no struts
    strut_min_width_px: int = 10
    #: a strut is at most this many pixels thick (a wider inked column is a stroke or a block)
    strut_max_thick_px: int = 4
    #: a rule longer than this many times the far side distance (``rule_side_px[1]``)
    #: is checked for blank sides without its ends (the rules crossing it there)
    rule_trim_sides: int = 4
    #: a flat mark (a dash the recogniser read as 1 or l) is at least this many
    #: times as wide as it is high …
    flat_ratio: float = 2.5
    #: … and has at least this many ink pixels
    flat_min_ink: int = 4
    #: the placeholder "/": its ink centre moves sideways by more than this per row
    slash_min_slope: float = 0.25
    #: … over at least this many inked rows (fewer: too small to tell)
    slash_min_rows: int = 6
    #: a 7, not a "/": a row in the top ``bar_top_share`` of the inked rows is at
    #: least ``bar_width_ratio`` times as wide as the median row (a bar caps the stroke)
    bar_top_share: float = 0.25
    bar_width_ratio: float = 2.5

    def __post_init__(self) -> None:
        require_positive(self, skip=("rule_side_px",))
        near, far = self.rule_side_px
        if not 0 < near < far:
            raise ValueError(f"ImageSettings.rule_side_px must be (near, far) with 0 < near < far, "
                             f"not {self.rule_side_px!r}")


DEFAULT_IMAGE = ImageSettings()


def ink_mask(grey: np.ndarray, lenient: bool = False) -> np.ndarray:
    """Dark pixels (True) by Otsu's threshold on the grey histogram. ``lenient``
    moves the threshold half way towards the paper's grey: thin rules, made
    lighter by scanning and JPEG, stay unbroken."""
    threshold = _otsu(grey)
    if lenient:
        threshold = (threshold + int(np.median(grey))) // 2
    return grey <= threshold  # Otsu: levels up to the threshold are the dark class


def unshade(grey: np.ndarray, s: ImageSettings = DEFAULT_IMAGE) -> np.ndarray:
    """The page with shaded areas turned to paper (for finding rules: a rule on the
    edge of a shaded cell then has blank page on both sides, like any other).
    Dark pixels — text, rules, their blurred edges — are kept."""
    paper = int(np.median(grey))
    lo = _otsu(grey)
    hi = paper - s.shade_margin
    if hi <= lo:
        return grey
    grey_mid = (grey > lo) & (grey <= hi)
    if grey_mid.mean() < s.shade_min_share:  # shading is a part of these pixels
        return grey
    around = median(grey, s.shade_window)
    shade = grey_mid & (around > lo) & (around <= hi)
    if shade.mean() < s.shade_min_share:
        return grey
    out = grey.copy()
    out[shade] = paper
    return out


def median(grey: np.ndarray, window: int) -> np.ndarray:
    """The median of each pixel's ``window`` × ``window`` neighbourhood (edges
    repeated). OpenCV's ``medianBlur`` (installed with RapidOCR) where there is
    one: the same values as Pillow's ``MedianFilter``, a few hundred times
    faster on a page; else Pillow's."""
    try:
        import cv2
    except ImportError:
        cv2 = None
    if cv2 is not None and grey.dtype == np.uint8 and grey.ndim == 2:
        return cv2.medianBlur(np.ascontiguousarray(grey), window)
    from PIL import ImageFilter

    return np.asarray(Image.fromarray(grey).filter(ImageFilter.MedianFilter(window)))


def _otsu(grey: np.ndarray) -> int:
    hist = np.bincount(grey.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    levels = np.arange(256, dtype=np.float64)
    w0 = np.cumsum(hist)
    m0 = np.cumsum(hist * levels)
    w1 = total - w0
    mu = m0[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mu * w0 / total - m0) ** 2 / (w0 * w1 / total)
    between[~np.isfinite(between)] = 0
    return int(np.argmax(between))


def _profile_energy(mask: np.ndarray, axis: int) -> float:
    prof = mask.sum(axis=axis).astype(np.float64)
    return float(np.sum(np.diff(prof) ** 2))


def is_sideways(mask: np.ndarray, s: ImageSettings = DEFAULT_IMAGE) -> bool:
    """Text runs up the page rather than across it."""
    small = mask[::s.skew_reduce, ::s.skew_reduce]
    return _profile_energy(small, 0) > s.sideways_ratio * _profile_energy(small, 1)


def estimate_skew(mask: np.ndarray, s: ImageSettings = DEFAULT_IMAGE) -> float:
    """The angle (degrees, PIL's sense) that makes the text lines level."""
    small = Image.fromarray((mask[::s.skew_reduce, ::s.skew_reduce] * _WHITE).astype(np.uint8))
    best, best_angle = -1.0, 0.0
    n = round(s.max_skew / s.skew_step)
    for k in range(-n, n + 1):
        angle = k * s.skew_step
        turned = np.asarray(small.rotate(angle, resample=Image.Resampling.NEAREST)) > _HALF_GREY
        e = _profile_energy(turned, 1)
        if e > best:
            best, best_angle = e, angle
    return best_angle if abs(best_angle) >= s.min_skew else 0.0


def _runs(mask: np.ndarray, min_len: int, gap: int) -> list[tuple[int, int, int]]:
    """(row, start, end) of ink runs of at least ``min_len`` along each row,
    bridging gaps up to ``gap`` pixels."""
    m = mask
    if gap > 0:  # close small gaps: a pixel is ink if ink lies within gap on both sides
        left = np.zeros_like(m)
        right = np.zeros_like(m)
        for d in range(1, gap + 1):
            left[:, d:] |= m[:, :-d]
            right[:, :-d] |= m[:, d:]
        m = m | (left & right)
    padded = np.zeros((m.shape[0], m.shape[1] + 2), dtype=np.int8)
    padded[:, 1:-1] = m
    d = np.diff(padded, axis=1)
    rs, cs = np.nonzero(d == 1)
    re_, ce = np.nonzero(d == -1)
    out = []
    for r, a, b in zip(rs, cs, ce):
        if b - a >= min_len:
            out.append((int(r), int(a), int(b)))
    del re_
    return out


def _join(runs: list[tuple[int, int, int]], join: int) -> list[tuple[float, int, int]]:
    """Runs on neighbouring rows that overlap: one rule (mean row, min start, max end)."""
    rules: list[list[int]] = []  # [first_row, last_row, start, end, sum_rows, n]
    for r, a, b in sorted(runs):
        for rule in reversed(rules[-8:]):
            # stair steps of a slightly tilted rule abut; a stroke of text a few
            # pixels off a rule's end does not join it
            if r - rule[1] <= join and a <= rule[3] + 2 and b >= rule[2] - 2:
                rule[1] = r
                rule[2], rule[3] = min(rule[2], a), max(rule[3], b)
                rule[4] += r
                rule[5] += 1
                break
        else:
            rules.append([r, r, a, b, r, 1])
    return [(rule[4] / rule[5], rule[2], rule[3]) for rule in rules]


def find_rules(mask: np.ndarray, dpi: float, s: ImageSettings = DEFAULT_IMAGE
               ) -> tuple[list[tuple[float, int, int]], list[tuple[float, int, int]]]:
    """Horizontal and vertical rules as ``(pos, start, end)`` in pixels."""
    min_len = int(s.rule_min_pt * dpi / POINTS_PER_INCH)
    h = _join(_runs(mask, min_len, s.rule_gap_px), s.rule_join_px)
    v = _join(_runs(mask.T.copy(), min_len, s.vrule_gap_px), s.rule_join_px)
    h = _thin(h, mask, s.rule_side_px, s.rule_side_ink, s.rule_trim_sides)
    v = _thin(v, mask.T, s.rule_side_px, s.vrule_side_ink, s.rule_trim_sides)
    v = [r for r in (_between_rules(r, h, s.rule_join_px + s.vrule_gap_px) for r in v) if r]
    return h, v + struts(mask, h, s)


def _between_rules(vr: tuple[float, int, int], h: list[tuple[float, int, int]], tol: int):
    """A vertical rule cut back to the first and last horizontal rules it
    crosses (past them it has run into a stroke of text); None if it crosses
    fewer than two."""
    x, top, bottom = vr
    ys = [y for y, a, b in h if a - tol <= x <= b + tol and top - tol <= y <= bottom + tol]
    if len(ys) < 2:
        return None
    return (x, round(min(ys)), round(max(ys)))


def struts(mask: np.ndarray, h: list[tuple[float, int, int]], s: ImageSettings) -> list[tuple[float, int, int]]:
    """Column rules of each table row: between two horizontal rules, a pixel
    column inked over the whole height of the row and joined to both rules (a
    digit 1 or a stroke of a Han character stops short of them)."""
    levels: list[list[tuple[float, int, int]]] = []  # rules at one height (within rule_join_px), top to bottom
    for rule in sorted(h):
        if levels and rule[0] - levels[-1][-1][0] <= s.rule_join_px:
            levels[-1].append(rule)
        else:
            levels.append([rule])
    out = []
    for upper, lower in pairwise(levels):
        ya = max(y for y, _, _ in upper)
        yb = min(y for y, _, _ in lower)
        if not s.strut_min_px <= yb - ya <= s.strut_max_px:
            continue
        lo = max(min(a for _, a, _ in upper), min(a for _, a, _ in lower)) - 3
        hi = min(max(b for _, _, b in upper), max(b for _, _, b in lower)) + 3
        lo, hi = max(0, lo), min(mask.shape[1] - 1, hi)
        if hi - lo < s.strut_min_width_px:
            continue
        band = mask[round(ya) - 1:round(yb) + 2, lo:hi + 1]
        inner = band[3:-3]
        full = (inner.mean(axis=0) >= s.strut_cover) & band[:3].any(axis=0) & band[-3:].any(axis=0)
        xs = np.flatnonzero(full)
        if not len(xs):
            continue
        groups = np.split(xs, np.flatnonzero(np.diff(xs) > 1) + 1)
        for g in groups:
            if len(g) > s.strut_max_thick_px:
                continue
            a, b = lo + int(g[0]), lo + int(g[-1])
            near, far = s.rule_side_px
            sides = [mask[round(ya) + 2:round(yb) - 1, max(0, a - far):max(0, a - near + 1)],
                     mask[round(ya) + 2:round(yb) - 1, b + near:b + far + 1]]
            if any(x.size and x.mean() > s.vrule_side_ink for x in sides):
                continue  # other strokes beside it: a character, not a rule
            out.append((lo + float(g.mean()), round(ya), round(yb)))
    return out


def _meets(vr: tuple[float, int, int], h: list[tuple[float, int, int]], tol: int, both: bool = False) -> bool:
    """Does the vertical rule end on a horizontal one (a strut of a table, not a
    stroke of a character)? A short one must end on one at both ends."""
    x, top, bottom = vr
    ends = [any(a - tol <= x <= b + tol and abs(y - end) <= tol for y, a, b in h)
            for end in (top, bottom)]
    return all(ends) if both else any(ends)


def _thin(rules: list[tuple[float, int, int]], mask: np.ndarray, side: tuple[int, int], most: float,
          trim_sides: int) -> list[tuple[float, int, int]]:
    """Rules with blank page on both sides (strokes of text have ink around them);
    a rule longer than ``trim_sides`` times the far side is looked at without its ends."""
    lo, hi = side
    out = []
    for pos, a, b in rules:
        y = round(pos)
        ok = True
        a2, b2 = (a + hi, b - hi) if b - a > trim_sides * hi else (a, b)  # not the crossing rules at its ends
        for band in (mask[max(0, y - hi):max(0, y - lo), a2:b2], mask[y + lo:y + hi, a2:b2]):
            if band.size and band.mean() > most:
                ok = False
        if ok:
            out.append((pos, a, b))
    return out


def erase_rules(grey: np.ndarray, h: list[tuple[float, int, int]], v: list[tuple[float, int, int]], width: int = 2) -> np.ndarray:
    """A copy of the page with the table rules painted white (text detection then
    keeps cells apart and never reads a rule as 一 or 1). A horizontal rule no
    vertical one meets may be a stroke of a line of text: it stays."""
    out = grey.copy()
    h = [r for r in h if any(_meets(vr, [r], 4) for vr in v)]
    for pos, a, b in h:
        y = round(pos)
        out[max(0, y - width):y + width + 1, a:b] = 255
    for pos, a, b in v:
        x = round(pos)
        out[a:b, max(0, x - width):x + width + 1] = 255
    return out


def is_flat(mask: np.ndarray, box: tuple[float, ...], s: ImageSettings = DEFAULT_IMAGE) -> bool:
    """Is the ink in ``box`` (pixels) a flat mark — a dash the recogniser read as
    1 or l — at least ``s.flat_ratio`` times as wide as it is high?"""
    x0, y0, x1, y1 = (round(v) for v in box)
    crop = mask[max(0, y0):y1 + 1, max(0, x0):x1 + 1]
    ys, xs = np.nonzero(crop)
    if len(xs) < s.flat_min_ink:
        return False
    return int(xs.max() - xs.min() + 1) >= s.flat_ratio * int(ys.max() - ys.min() + 1)


def _top_bar(crop: np.ndarray, s: ImageSettings = DEFAULT_IMAGE) -> bool:
    """Does a horizontal bar cap the ink (the top ``s.bar_top_share`` of its rows
    holds a row ``s.bar_width_ratio`` times as wide as the stroke's median row)?"""
    widths = [int(r.sum()) for r in crop if r.any()]
    if len(widths) < s.slash_min_rows:
        return False
    top = widths[:max(1, round(len(widths) * s.bar_top_share))]
    return max(top) >= s.bar_width_ratio * float(np.median(widths))


def is_slash(mask: np.ndarray, box: tuple[float, ...], s: ImageSettings = DEFAULT_IMAGE) -> bool:
    """Is the ink in ``box`` (pixels) one slanting stroke — the placeholder "/",
    which the recogniser reads as 1, l or L? Its ink centre moves sideways from
    row to row; a 1 stands upright."""
    x0, y0, x1, y1 = (round(v) for v in box)
    crop = mask[max(0, y0):y1 + 1, max(0, x0):x1 + 1]
    rows = [(y, float(np.flatnonzero(r).mean())) for y, r in enumerate(crop) if r.any()]
    if len(rows) < s.slash_min_rows:
        return False
    if _top_bar(crop, s):
        return False  # a 7: its slanting stroke hangs from a bar
    ys = np.array([r[0] for r in rows], dtype=np.float64)
    xs = np.array([r[1] for r in rows])
    return abs(float(np.polyfit(ys, xs, 1)[0])) > s.slash_min_slope
