"""Page-image geometry of the OCR reader on drawn images (no OCR engine needed)."""
from __future__ import annotations

import pytest

np = pytest.importorskip("numpy")
Image = pytest.importorskip("PIL.Image")
ImageDraw = pytest.importorskip("PIL.ImageDraw")

from gaiextract.readers import ocr_image as oi  # noqa: E402  (after the importorskips)


def _text_page(w: int = 900, h: int = 1200) -> Image.Image:
    """Lines of 'text': runs of dark blocks of uneven width with narrow gaps,
    starting at uneven places (as characters and words do), lines apart."""
    import random

    rng = random.Random(7)
    img = Image.new("L", (w, h), 255)
    d = ImageDraw.Draw(img)
    for row in range(20):
        y = 80 + row * 50
        x = 60 + rng.randint(0, 40)
        while x < w - 100:
            cw = rng.randint(14, 26)
            d.rectangle((x, y, x + cw, y + rng.randint(16, 22)), fill=30)
            x += cw + rng.randint(2, 5)
    return img


def _grid(w: int = 900, h: int = 700) -> Image.Image:
    img = Image.new("L", (w, h), 245)
    d = ImageDraw.Draw(img)
    xs = [100, 300, 420, 540, 800]
    ys = [100, 160, 200, 240, 280]
    for y in ys:
        d.line((xs[0], y, xs[-1], y), fill=20, width=2)
    for x in xs:
        d.line((x, ys[0], x, ys[-1]), fill=20, width=2)
    d.rectangle((330, 210, 345, 232), fill=20)  # a 'digit' in a cell: no rule
    return img


@pytest.mark.parametrize("angle", [-1.2, -0.5, 0.7, 1.5])
def test_skew_is_measured(angle):
    img = _text_page().rotate(angle, fillcolor=255)
    found = oi.estimate_skew(oi.ink_mask(np.asarray(img)))
    assert abs(found + angle) <= 0.15  # the angle that levels it undoes the turn


def test_level_page_is_left_nearly_alone():
    assert abs(oi.estimate_skew(oi.ink_mask(np.asarray(_text_page())))) <= 0.2


def test_sideways_page_is_recognised():
    mask = oi.ink_mask(np.asarray(_text_page()))
    assert not oi.is_sideways(mask)
    assert oi.is_sideways(np.ascontiguousarray(mask.T))


def test_rules_of_a_grid_and_not_its_text():
    mask = oi.ink_mask(np.asarray(_grid()), lenient=True)
    h, v = oi.find_rules(mask, dpi=150)
    assert sorted(round(y) for y, _, _ in h) == [100, 160, 200, 240, 280]
    xs = sorted({round(x) for x, _, _ in v})
    assert all(any(abs(x - want) <= 2 for x in xs) for want in (100, 300, 420, 540, 800))
    assert not any(320 < x < 360 for x in xs)


def test_slash_and_one_told_apart():
    img = Image.new("L", (60, 60), 255)
    d = ImageDraw.Draw(img)
    d.line((20, 50, 40, 10), fill=0, width=3)   # /
    d.line((45, 10, 45, 50), fill=0, width=3)   # 1 (upright)
    mask = oi.ink_mask(np.asarray(img))
    assert oi.is_slash(mask, (15, 8, 42, 52))
    assert not oi.is_slash(mask, (43, 8, 48, 52))


def test_a_seven_is_not_a_slash():
    img = Image.new("L", (60, 60), 255)
    d = ImageDraw.Draw(img)
    d.line((18, 10, 42, 10), fill=0, width=3)   # the bar of a 7
    d.line((42, 10, 26, 50), fill=0, width=3)   # its slanting stroke
    mask = oi.ink_mask(np.asarray(img))
    assert not oi.is_slash(mask, (15, 7, 45, 52))


def test_rules_on_the_edges_of_shaded_rows_are_found():
    """WPS shades its 第二十条 block rows light blue: scanned, a mid grey that is half
    'ink' to the lenient threshold, so the rules along it looked like text strokes."""
    rng = np.random.default_rng(3)
    img = Image.new("L", (900, 500), 240)
    d = ImageDraw.Draw(img)
    ys = [100, 170, 240, 310, 380]
    d.rectangle((100, 170, 800, 240), fill=203)  # a shaded row
    for y in ys:
        d.line((100, y, 800, y), fill=20, width=2)
    for x in (100, 800):
        d.line((x, ys[0], x, ys[-1]), fill=20, width=2)
    for x in range(120, 780, 24):  # lines of grey 'text' strokes: Otsu's threshold rises
        for y in (120, 260, 330):
            d.rectangle((x, y, x + 14, y + 30), fill=150)
    arr = np.clip(np.asarray(img, dtype=np.float64) + rng.normal(0, 7, (500, 900)), 0, 255).astype(np.uint8)
    h_plain, _ = oi.find_rules(oi.ink_mask(arr, lenient=True), dpi=150)
    h, _ = oi.find_rules(oi.ink_mask(oi.unshade(arr), lenient=True), dpi=150)
    found = {round(y) for y, a, b in h if b - a > 600}
    assert all(any(abs(f - y) <= 2 for f in found) for y in ys), found
    assert len({round(y) for y, a, b in h_plain if b - a > 600}) < len(ys)  # the test can fail
    assert (oi.unshade(np.full((50, 50), 240, np.uint8)) == 240).all()  # no shading: unchanged


def test_a_dash_read_as_one_is_flat():
    img = Image.new("L", (60, 60), 255)
    d = ImageDraw.Draw(img)
    d.line((15, 30, 45, 30), fill=0, width=3)   # —
    d.line((52, 10, 52, 50), fill=0, width=3)   # 1
    mask = oi.ink_mask(np.asarray(img))
    assert oi.is_flat(mask, (10, 20, 48, 40)) and not oi.is_slash(mask, (10, 20, 48, 40))
    assert not oi.is_flat(mask, (49, 8, 56, 52))


def test_median_is_pillows_median_filter():
    """ocr_image.median (OpenCV's medianBlur where installed) gives Pillow's
    MedianFilter values, edges included, on a shaded page with text and rules."""
    from PIL import ImageFilter

    img = _text_page()
    d = ImageDraw.Draw(img)
    d.rectangle((0, 300, 899, 420), fill=200)  # a shaded band up to the edges
    d.line((0, 500, 899, 500), fill=20, width=2)
    noise = np.random.default_rng(3).integers(0, 40, size=(img.height, img.width), dtype=np.uint8)
    grey = np.asarray(img).copy()
    grey[::7] = np.clip(grey[::7].astype(int) - noise[::7], 0, 255).astype(np.uint8)
    want = np.asarray(Image.fromarray(grey).filter(ImageFilter.MedianFilter(5)))
    assert np.array_equal(oi.median(grey, 5), want)


def test_a_page_without_shading_is_left_as_it_is():
    grey = np.asarray(_text_page())
    assert oi.unshade(grey) is grey
