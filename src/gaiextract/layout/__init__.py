"""Format-agnostic stages over a :class:`~gaiextract.document.Document`.

Each module is one concept: ``sections`` (the six headings, subsections),
``tables`` (find the three tables, decide the edition, map labels to keys),
``labels`` (label normalisation and matching),
``classify`` (subsection categories), ``checks`` (勾稽 rules), ``facts`` (title,
agency, year, fees), ``problems`` (problems/measures items).
"""
