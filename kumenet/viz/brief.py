"""A toolkit brief drawn: one self-contained HTML page that prints on A4, or an editable Word
document (the content is composed in :mod:`kumenet.app.toolkit`)."""

from __future__ import annotations

from markupsafe import Markup

from kumenet.messages import text
from kumenet.viz.report import frame_table

__all__ = ["brief_html", "brief_fragment", "write_docx"]


#: The brief's own rules (the portal's Kılavuz tab uses them too) and its print rules: A4
#: pages, headings kept with what follows, table rows never split.
BRIEF_CSS_ASSET = "brief.css"


def _tables(part, lang: str) -> list:
    out = []
    for caption, frame, formats in part.tables:
        table = frame_table(frame, lang, formats)
        table.caption = caption
        out.append(table)
    return out


def _parts(brief) -> list[dict]:
    lang = brief.lang
    return [{"key": p.key, "title": p.title, "intro": p.intro, "facts": p.facts,
              "tables": _tables(p, lang), "points": p.points, "sources": p.sources,
              "missing": p.missing, "chart": Markup(p.chart) if p.chart else ""}
             for p in brief.parts]


def _words(lang: str) -> dict:
    return {k: text(f"toolkit.{k}", lang) for k in ("points", "sources", "missing")}


def brief_html(brief) -> str:
    """The brief as one page: no script, no link, no request (works offline, prints as is).

    >>> from kumenet.app.analysis import analyse
    >>> from kumenet.app.toolkit import build_brief
    >>> from kumenet.graph.io import read_network
    >>> a = analyse(read_network('sample_networks/pilot'), suggestions=False)
    >>> brief = build_brief(a, 'Çorum leblebi')
    >>> page = brief_html(brief)
    >>> page.count('data-section='), '<script' in page
    (5, False)
    """
    from kumenet.viz.html import asset, render_page

    return render_page("brief.html", [], lang=brief.lang, title=brief.title,
                       subtitle=brief.subtitle, made=text("toolkit.made", brief.lang),
                       parts=_parts(brief), words=_words(brief.lang),
                       css=Markup(asset("kumenet.css") + asset(BRIEF_CSS_ASSET)))


def brief_fragment(brief) -> Markup:
    """The brief's sections, to be placed in another page (the portal's Kılavuz tab); every
    value escaped.

    >>> from kumenet.app.analysis import analyse
    >>> from kumenet.app.toolkit import build_brief
    >>> from kumenet.graph.io import read_network
    >>> a = analyse(read_network('sample_networks/pilot'), suggestions=False)
    >>> brief = build_brief(a, 'Çorum leblebi')
    >>> part = brief_fragment(brief)
    >>> part.lstrip().startswith('<section'), '<html' in part
    (True, False)
    """
    from kumenet.viz.html import render_page

    return Markup(render_page("brief_parts.html", [], lang=brief.lang, parts=_parts(brief),
                              words=_words(brief.lang)))


def write_docx(brief, path) -> None:
    """The brief as an editable Word document: a Heading 1 per section, its facts and tables
    as Word tables, the targets and actions of the business plan left to fill in.

    >>> from pathlib import Path
    >>> import tempfile, docx
    >>> from kumenet.app.analysis import analyse
    >>> from kumenet.app.toolkit import build_brief
    >>> from kumenet.graph.io import read_network
    >>> a = analyse(read_network('sample_networks/pilot'), suggestions=False)
    >>> brief = build_brief(a, 'Çorum leblebi')
    >>> path = Path(tempfile.mkdtemp()) / 'plan.docx'
    >>> write_docx(brief, path)
    >>> [p.text for p in docx.Document(str(path)).paragraphs if p.style.name == 'Heading 1'][0]
    '1. Küme tanımlama'
    """
    import docx
    from docx.shared import Pt

    lang = brief.lang
    doc = docx.Document()
    doc.core_properties.title = brief.title
    doc.core_properties.language = lang
    style = doc.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10)
    doc.add_heading(brief.title, level=0)
    doc.add_paragraph(brief.subtitle)
    doc.add_paragraph(text("toolkit.made", lang)).italic = True
    for i, part in enumerate(brief.parts, 1):
        doc.add_heading(f"{i}. {part.title}", level=1)
        doc.add_paragraph(part.intro)
        if part.facts:
            grid = doc.add_table(rows=0, cols=2)
            grid.style = "Light List Accent 1"
            for label, value in part.facts:
                cells = grid.add_row().cells
                cells[0].text, cells[1].text = str(label), str(value)
        for table in _tables(part, lang):
            doc.add_heading(table.caption, level=2)
            grid = doc.add_table(rows=1, cols=len(table.headers))
            grid.style = "Light Grid Accent 1"
            for cell, header in zip(grid.rows[0].cells, table.headers):
                cell.text = str(header)
            for row in table.rows:
                cells = grid.add_row().cells
                for cell, (value, _) in zip(cells, row):
                    cell.text = str(value)
        if part.points:
            doc.add_heading(text("toolkit.points", lang), level=2)
            for point in part.points:
                doc.add_paragraph(point, style="List Bullet")
        doc.add_paragraph(f"{text('toolkit.sources', lang)} {'; '.join(part.sources)}")
        if part.missing:
            doc.add_paragraph(f"{text('toolkit.missing', lang)} {' '.join(part.missing)}")
    doc.save(str(path))
