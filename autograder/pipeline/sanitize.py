"""Nothing a submission shows runs in a browser: the autograded notebook is sanitised (issue 28).

Formgrader shows each notebook of ``autograded/`` to instructors as HTML made by nbconvert, which
copies a ``text/html`` output, the HTML in a markdown cell and a raw cell into the page as they
are and an ``application/javascript`` output into a ``<script>``; the page is formgrader's, next
to its grading API, in the instructor's session. Feedback pages are made from the same notebooks.
Every output came from the student's kernel, and every unlocked markdown or raw cell from the
student's file, so two preprocessors, right after ``ProbeVerdicts`` in
``c.Autograde.autograde_preprocessors`` (the list both graders run), make them inert:

- :class:`SanitizeStudentOutputs`: the outputs of code cells (and a widget state in the notebook's
  metadata);
- :class:`SanitizeStudentMarkdown`: the sources of markdown and raw cells, and their attachments.

What is safe is decided on what a browser would build: markup is parsed by html5lib (the HTML
standard's parsing algorithm; bleach's own copy), inside the ``<div>`` a page puts it in, and
must end inside that ``<div>`` (no stray ``</div>``, no unclosed comment swallowing the page),
with every element and attribute on the allowlist below: no script, no event handler, no
``<iframe>``/``<object>``/``<embed>``/``<form>``/``<style>``/``<svg>``; links only to http(s),
mailto, relative and ``#`` addresses; images only as PNG, JPEG or GIF data (an image address
would be fetched, with the instructor's cookies, as soon as the page opens); CSS only of a few
properties and without ``url()``. Markup that passes is kept byte for byte (the course's own
cells, tables and formatting); markup that does not is cleaned by bleach with the same allowlist
(a forbidden tag is shown as text) and checked again; a markdown cell that does not pass is shown
as its text, in a code block. A markdown cell must pass twice: as nbconvert renders it
(formgrader) and as the feedback renders it, its TeX turned into MathML first
(:class:`course.feedback.MathAsMathML`, whose converter copies ``\\text{<script>}`` and
``\\href`` into the MathML).
"""

from __future__ import annotations

import html
import json
from functools import lru_cache

import bleach
from bleach import html5lib_shim
from bleach.css_sanitizer import CSSSanitizer
from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from gdcourse.probe import MIME as PROBE_MIME

# --- the allowlist ---------------------------------------------------------------------------

HTML_NS = "http://www.w3.org/1999/xhtml"
MATHML_NS = "http://www.w3.org/1998/Math/MathML"

HTML_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "col", "colgroup", "dd", "del", "details",
    "dfn", "div", "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
    "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small", "span", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "tt", "u", "ul", "var", "wbr",
})
# what latex2mathml writes for the feedback's formulas (presentation MathML, without href or style)
MATHML_TAGS = frozenset({
    "math", "menclose", "merror", "mfenced", "mfrac", "mi", "mmultiscripts", "mn", "mo", "mover", "mpadded",
    "mphantom", "mprescripts", "mroot", "mrow", "ms", "mspace", "msqrt", "mstyle", "msub", "msubsup", "msup",
    "mtable", "mtd", "mtext", "mtr", "munder", "munderover", "none", "semantics", "annotation",
})
GLOBAL_ATTRIBUTES = frozenset({"class", "title", "align", "dir", "lang"})
HTML_ATTRIBUTES = {
    "a": {"href", "name"}, "img": {"src", "alt", "width", "height"}, "ol": {"start", "type"},
    "td": {"colspan", "rowspan", "valign", "style"}, "th": {"colspan", "rowspan", "valign", "scope", "style"},
    "tr": {"style"}, "table": {"border", "cellpadding", "cellspacing", "style"}, "col": {"span"},
    "colgroup": {"span"}, "details": {"open"}, "span": {"style"}, "div": {"style"}, "p": {"style"},
    **{f"h{n}": {"id"} for n in range(1, 7)},  # nbconvert's headings: <h2 id="…"> with a "#…" anchor link
}
MATHML_ATTRIBUTES = frozenset({
    "accent", "accentunder", "close", "columnalign", "columnlines", "columnspacing", "depth", "display",
    "displaystyle", "encoding", "fence", "form", "frame", "height", "largeop", "linethickness", "lspace",
    "mathbackground", "mathcolor", "mathsize", "mathvariant", "maxsize", "minsize", "movablelimits", "notation",
    "open", "rowalign", "rowlines", "rowspacing", "rspace", "scriptlevel", "separator", "separators", "stretchy",
    "symmetric", "voffset", "width",
})
# CSS of tables and text (the markdown renderer aligns table columns with text-align); no url()
CSS_PROPERTIES = frozenset({
    "text-align", "vertical-align", "color", "background-color", "font-weight", "font-style", "font-family",
    "text-decoration", "white-space", "padding", "padding-left", "padding-right", "padding-top", "padding-bottom",
    "border", "border-collapse", "border-color", "border-style", "border-width", "border-spacing",
})
LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_DATA = ("data:image/png;base64,", "data:image/jpeg;base64,", "data:image/gif;base64,")
URL_ATTRIBUTES = frozenset({"href", "src"})

# output data kept as they are (nbconvert escapes them, or does not show them); text/html and
# text/markdown are kept if safe, cleaned otherwise; anything else goes (application/javascript,
# widget views, image/svg+xml, which nbconvert may put inline, and whatever a renderer might run)
SAFE_OUTPUT_KEYS = frozenset({"text/plain", "text/latex", "application/json", "image/png", "image/jpeg", PROBE_MIME})
ATTACHMENT_KEYS = frozenset({"image/png", "image/jpeg", "image/gif"})

_END = "gd-end-of-container"


def url_is_safe(tag: str, attribute: str, value: str) -> bool:
    """A link to http(s), mailto, a relative or ``#`` address; an image only as PNG/JPEG/GIF data.

    The address is read as browsers read it: surrounding spaces and control characters dropped,
    tabs and newlines dropped anywhere, the scheme in any case.
    """
    url = "".join(ch for ch in value if ch not in "\t\n\r").strip("".join(map(chr, range(33))))
    lowered = url.lower()
    if tag == "img":
        return attribute == "src" and lowered.startswith(IMAGE_DATA)
    scheme, colon, rest = lowered.partition(":")
    if not colon or any(ch in scheme for ch in "/?#"):
        return True  # no scheme: relative to the page, or "#…"
    return scheme in LINK_SCHEMES


def css_is_safe(value: str) -> bool:
    """Declarations of :data:`CSS_PROPERTIES` only, with plain values (no ``url()`` or other function)."""
    import tinycss2

    for node in tinycss2.parse_blocks_contents(value, skip_whitespace=True, skip_comments=True):
        if node.type != "declaration" or node.lower_name not in CSS_PROPERTIES:
            return False
        if any(token.type in ("function", "url", "() block", "[] block", "{} block") for token in node.value):
            return False
    return True


def attribute_is_safe(namespace: str, tag: str, name: str, value: str) -> bool:
    if name == "xmlns" or name.startswith("xmlns:"):
        return True  # inert in HTML (nbconvert's headings carry one when they hold MathML)
    if namespace == MATHML_NS:
        return name in MATHML_ATTRIBUTES
    if name not in GLOBAL_ATTRIBUTES and name not in HTML_ATTRIBUTES.get(tag, ()):
        return False
    if name in URL_ATTRIBUTES:
        return url_is_safe(tag, name, value)
    if name == "style":
        return css_is_safe(value)
    return True


def html_is_safe(markup: str) -> bool:
    """Whether ``markup``, put inside a ``<div>`` of a page, stays in it and holds only what the allowlist allows.

    It is parsed as part of a whole page, as a browser parses it: a ``<body onload=…>`` or
    ``<html onclick=…>`` anywhere in a page adds its attributes to the page's own element.
    """
    parser = html5lib_shim.HTMLParser(namespaceHTMLElements=True)
    page = parser.parse(f"<!DOCTYPE html><html><head></head><body><div>{markup}</div><p>{_END}</p></body></html>")
    head, body = list(page)
    children = list(body)
    if page.attrib or head.attrib or len(head) or body.attrib or page.text or body.text:
        return False  # attributes for the page's own elements, or something put in its <head>
    if (len(children) != 2 or children[0].tag != f"{{{HTML_NS}}}div" or children[1].tag != f"{{{HTML_NS}}}p"
            or len(children[1]) or children[1].text != _END or children[1].tail or children[0].attrib):
        return False  # it closed its container, or swallowed what follows
    for element in children[0].iter():
        if element is children[0]:
            continue
        if not isinstance(element.tag, str):
            return False  # a comment (or a processing instruction): what follows it may vanish
        namespace, _, tag = element.tag[1:].partition("}")
        prefix, colon, local = tag.partition(":")
        if namespace == HTML_NS and colon and prefix[:2] == "ns" and prefix[2:].isdigit() and local in MATHML_TAGS:
            namespace, tag = MATHML_NS, local  # nbconvert's heading ids re-serialise MathML as <ns0:math>: inert
        allowed = HTML_TAGS if namespace == HTML_NS else MATHML_TAGS if namespace == MATHML_NS else ()
        if tag not in allowed:
            return False
        for name, value in element.attrib.items():
            name = name if isinstance(name, str) else name[1]  # a namespaced attribute: (namespace, name)
            if name.startswith("{"):
                name = name.partition("}")[2]
            if not attribute_is_safe(namespace, tag, name.lower(), value):
                return False
    return True


def _bleach_attribute(tag: str, name: str, value: str) -> bool:
    namespace = MATHML_NS if tag in MATHML_TAGS and tag not in HTML_TAGS else HTML_NS
    return attribute_is_safe(namespace, tag, name, value)


_CLEANER = bleach.Cleaner(tags=HTML_TAGS | MATHML_TAGS, attributes=_bleach_attribute,
                          protocols=sorted(LINK_SCHEMES | {"data"}), strip=False, strip_comments=True,
                          css_sanitizer=CSSSanitizer(allowed_css_properties=CSS_PROPERTIES))


def clean_html(markup: str) -> str:
    """``markup`` cleaned by bleach with the allowlist (a forbidden tag is shown as text); all of it
    as text if even that does not pass :func:`html_is_safe`."""
    cleaned = _CLEANER.clean(markup)
    return cleaned if html_is_safe(cleaned) else html.escape(markup)


def safe_html(markup: str) -> str:
    """``markup`` itself if it is safe, else cleaned."""
    return markup if html_is_safe(markup) else clean_html(markup)


# --- markdown --------------------------------------------------------------------------------

@lru_cache(maxsize=1)
def _exporter():
    from nbconvert.exporters import HTMLExporter

    return HTMLExporter()


def markdown_html(source: str, attachments: dict | None = None) -> str:
    """The HTML nbconvert makes of a markdown cell, as formgrader and feedback pages show it."""
    return _exporter().markdown2html({"cell": {"attachments": attachments or {}}}, source)


@lru_cache(maxsize=4096)  # a notebook's own cells are the same in every submission
def _markdown_is_safe(source: str, attachments: str) -> bool:
    from autograder.pipeline.mathml import markdown_with_mathml  # what feedback pages make of its TeX

    found = json.loads(attachments)
    try:
        if not html_is_safe(markdown_html(source, found)):
            return False
        with_mathml = markdown_with_mathml(source) if "$" in source else source
        return with_mathml == source or html_is_safe(markdown_html(with_mathml, found))
    except Exception:  # noqa: BLE001 - e.g. a missing attachment: nbconvert could not render the page at all
        return False


def markdown_is_safe(source: str, attachments: dict | None = None) -> bool:
    """Whether a markdown cell renders to safe HTML, in formgrader (TeX left to MathJax) and in
    feedback (TeX as MathML)."""
    return _markdown_is_safe(source, json.dumps(attachments or {}, sort_keys=True))


MARKDOWN_NOTE = ("*The grader shows this cell as text: as written, it held markup that could run in a browser "
                 "(a script, an event handler, a frame or a link it does not allow).*")


#: Markdown is rendered (TeX to MathML included) to see whether it is safe, at a cost of up to about 40 µs a
#: character: a cell longer than this, or one past this much of a notebook's markdown, is shown as its text
#: without being rendered (the course's own notebooks hold at most about 36,000 characters of markdown, none
#: of their cells more than 4,000).
MAX_RENDERED_CELL_CHARS = 20_000
MAX_RENDERED_NOTEBOOK_CHARS = 150_000
LONG_MARKDOWN_NOTE = "*The grader shows this cell as text: it is longer than the grader renders.*"


def _fenced(note: str, source: str) -> str:
    """``note``, then ``source`` in a code block whose fence is longer than any run of backticks in it, so
    that nothing in it can close the block: shown as text, whatever it holds."""
    longest, run = 0, 0
    for ch in source:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * max(3, longest + 1)
    return f"{note}\n\n{fence}\n{source}\n{fence}\n"


def markdown_as_text(source: str) -> str:
    """A markdown cell that shows ``source`` as text: a note, then a code block. Only the note if even that
    would not render safely."""
    shown = _fenced(MARKDOWN_NOTE, source)
    return shown if markdown_is_safe(shown) else MARKDOWN_NOTE


def safe_markdown(source: str, attachments: dict | None = None) -> str:
    return source if markdown_is_safe(source, attachments) else markdown_as_text(source)


def safe_attachments(attachments: dict) -> dict:
    """Attachments of a markdown cell: PNG, JPEG and GIF images only (an SVG can carry a script)."""
    kept = {}
    for name, bundle in attachments.items():
        images = {k: v for k, v in bundle.items() if k in ATTACHMENT_KEYS} if isinstance(bundle, dict) else {}
        if images:
            kept[name] = images
    return kept


# --- outputs ---------------------------------------------------------------------------------

def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def safe_output(output):
    """One output of a code cell, with nothing that would run: ``output`` itself, changed in place."""
    if output.get("output_type") not in ("display_data", "execute_result", "update_display_data"):
        return output  # streams and errors are text, which nbconvert escapes
    data = output.get("data", {})
    removed = []
    for key in list(data):
        if key in SAFE_OUTPUT_KEYS:
            continue
        if key == "text/html":
            data[key] = safe_html(_text(data[key]))
        elif key == "text/markdown" and markdown_is_safe(_text(data[key])):
            continue
        else:
            removed.append(key)
            del data[key]
    if removed and not any(key != PROBE_MIME for key in data):
        data["text/plain"] = f"[removed by the grader: {', '.join(removed)} output, which could run in a browser]"
    return output


class SanitizeStudentOutputs(Preprocessor):
    """Outputs of code cells without anything that runs in a browser (see the module docs).

    Keeps text, PNG/JPEG images, LaTeX, JSON, the probe records and the grader's verdicts as they
    are; keeps ``text/html`` and ``text/markdown`` that pass :func:`html_is_safe`, cleans the rest;
    removes JavaScript, widget views, SVG and every other kind of output, and the notebook's widget
    state. Cell metadata is left alone.
    """

    enabled = Bool(True).tag(config=True)  # nbgrader registers its converters' preprocessors as they are

    def preprocess(self, nb, resources):
        nb.metadata.pop("widgets", None)  # widget state: nbconvert loads the widget manager's scripts for it
        for cell in nb.cells:
            if cell.cell_type == "code":
                for output in cell.get("outputs", []):
                    safe_output(output)
        return nb, resources


class SanitizeStudentMarkdown(Preprocessor):
    """Markdown and raw cells without anything that runs in a browser (see the module docs).

    A markdown cell that renders safely (every cell of the course's notebooks) is kept byte for
    byte; another is shown as its text. A raw cell (which nbconvert copies into the page as HTML)
    is kept if safe, cleaned otherwise. Attachments keep PNG, JPEG and GIF images only.
    """

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        rendered = 0  # characters of markdown and raw cells checked so far
        for cell in nb.cells:
            if cell.cell_type not in ("markdown", "raw"):
                continue
            source = cell.source
            too_long = len(source) > MAX_RENDERED_CELL_CHARS or rendered + len(source) > MAX_RENDERED_NOTEBOOK_CHARS
            rendered += 0 if too_long else len(source)
            if cell.cell_type == "markdown":
                if "attachments" in cell:
                    cell.attachments = safe_attachments(cell.attachments)
                cell.source = (_fenced(LONG_MARKDOWN_NOTE, source) if too_long
                               else safe_markdown(source, cell.get("attachments")))
            else:
                cell.source = html.escape(source) if too_long else safe_html(source)
        return nb, resources
