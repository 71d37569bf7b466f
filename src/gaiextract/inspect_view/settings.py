"""Tolerances and sizes of the inspection page, in one place.

The page must stay small enough to mail or attach to an issue (a 10-page report
well under 5 MB) while the page images stay readable: an A4 page at ~1100 px wide
keeps 10.5 pt Chinese text legible, and grey JPEG at moderate quality is a fraction
of the size of colour PNG for scanned and born-digital pages alike.
"""
from __future__ import annotations

from dataclasses import dataclass

from ..limits import require_positive


@dataclass(frozen=True)
class InspectSettings:
    #: width in pixels a page image is rendered at (height follows the page's shape)
    page_width_px: int = 1100
    #: JPEG quality of page images (1-95)
    jpeg_quality: int = 60
    #: grey page images: a third of the size, and boxes (in colour) stand out better
    grayscale: bool = True
    #: at most this many page images; pages beyond are listed, not drawn
    max_pages: int = 60
    #: paragraphs shown before / after a section heading in a text view
    context_before: int = 1
    context_after: int = 2
    #: a paragraph in the text view is cut to this many characters
    snippet_chars: int = 240
    #: rows of a rebuilt table shown after its last mapped row (or of a table with none)
    extra_table_rows: int = 40
    #: pixels per point never go below this (a page absurdly large for the pixel budget)
    min_scale: float = 1e-3

    def __post_init__(self) -> None:
        require_positive(self, skip=("grayscale", "context_before", "context_after"))
        if self.context_before < 0 or self.context_after < 0:
            raise ValueError("InspectSettings.context_before and context_after must be >= 0")


DEFAULT_SETTINGS = InspectSettings()

#: colours by provenance ``how`` (the legend and the boxes use the same)
HOW_COLOURS: dict[str, str] = {
    "grid": "#1f6fd1",
    "stream": "#0f8a6a",
    "split": "#b36b00",
    "ocr": "#7b3fb8",
}
#: a cell in a failing check or with a warning
BAD_COLOUR = "#d11f1f"
#: a section or subsection heading
HEADING_COLOUR = "#5b6470"
#: provenance without ``how`` (before the aligner added it) was placed from a grid
DEFAULT_HOW = "grid"
#: a heading's box is drawn this far (PDF points) outside its text, so it does not cross the glyphs
HEADING_PAD_PT = 3.0
#: a box's position is written in per cent of the page's size
PERCENT = 100.0
#: page size (PDF points) assumed for a page whose image could not be drawn: A4
FALLBACK_PAGE_PT = (595.0, 842.0)
