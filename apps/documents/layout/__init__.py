"""The GB/T 9704-2012 layout engine: one official document (公文), two files.

Callers build an `OfficialDocument` (model.py) from their own data and ask for `render_docx`
(word.py, python-docx) or `render_pdf` (pdf.py, WeasyPrint). Both renderers take every measure
from `geometry`, so the .docx and the PDF of a document agree line for line.
"""

from .model import (
    Attachment,
    DocumentFormat,
    Heading,
    MinutesLine,
    OfficialDocument,
    Paragraph,
    Table,
)
from .pdf import render_pdf
from .word import render_docx

__all__ = [
    "Attachment",
    "DocumentFormat",
    "Heading",
    "MinutesLine",
    "OfficialDocument",
    "Paragraph",
    "Table",
    "render_docx",
    "render_pdf",
]
