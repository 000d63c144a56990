"""TeX in markdown as MathML: what a feedback page shows of a formula, drawn by the browser with no
script and no network. The feedback pages (``course.feedback.MathAsMathML``) and the sanitiser of
student markdown (``autograder.pipeline.sanitize``, which must see a cell as the feedback will show it) share it.
"""

from __future__ import annotations

import re

CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.S)  # code in markdown: never math
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.S)
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]+?)(?<!\\)\$(?!\$)")


def tex_to_mathml(tex: str, display: bool) -> str:
    """MathML for one formula; the TeX itself, escaped, if it cannot be converted."""
    import html

    from latex2mathml.converter import convert

    try:
        return convert(tex.strip(), display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - a formula the converter does not know stays readable as TeX
        return f"<code>{html.escape(tex)}</code>"


def markdown_with_mathml(source: str) -> str:
    """``source`` with every ``$…$`` and ``$$…$$`` outside code replaced by MathML."""
    parts = CODE.split(source)
    for i in range(0, len(parts), 2):  # even parts are prose, odd ones code
        text = DISPLAY_MATH.sub(lambda m: "\n\n" + tex_to_mathml(m.group(1), True) + "\n\n", parts[i])
        parts[i] = INLINE_MATH.sub(lambda m: tex_to_mathml(m.group(1), False), text)
    return "".join(parts)
