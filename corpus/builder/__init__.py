"""The corpus builder: synthetic reports rendered into every format we read.

``content`` makes :class:`~model.ReportSpec` objects (text, tables, and the
expected values written from that same content); ``render_*`` modules turn one
spec into one file of their format. ``../build.py`` runs them all.
"""
