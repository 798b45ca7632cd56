"""What a person sees in the page, as strings: for checking that the UI speaks only Chinese.

``VISIBLE_STRINGS`` is a JavaScript function for ``page.evaluate``: the text of every displayed text node
and the placeholder, aria-label, title and alt of every displayed element (tooltips and screen readers).
"""

from __future__ import annotations

import re

VISIBLE_STRINGS = """() => {
  const shown = el => {
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden') return false;
    }
    return true;
  };
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, el = node.parentElement, text = node.textContent.trim();
    if (text && el && !el.closest('script, style, noscript') && shown(el)) out.push(text);
  }
  for (const el of document.querySelectorAll('[placeholder], [aria-label], [title], [alt]')) {
    if (!shown(el)) continue;
    for (const name of ['placeholder', 'aria-label', 'title', 'alt']) {
      const value = el.getAttribute(name);
      if (value && value.trim()) out.push(value.trim());
    }
  }
  return out;
}"""

# Latin text a Chinese reader is expected to see: file names and extensions (the user's own), PDF, MiB, MB,
# and the markup Gradio copies into a message's screen-reader label.
ALLOWED = re.compile(r"[\w.\-]+\.pdf|\.[a-z]{2,4}\b|\bPDF\b|\bMiB\b|\bMB\b|\bOCR\b|</?[a-z]+>", re.IGNORECASE)
ENGLISH = re.compile(r"[A-Za-z]{2,}")


def english(strings: list[str]) -> list[str]:
    """The strings that still hold an English word once the allowed Latin text is taken out."""
    return sorted({s for s in strings if ENGLISH.search(ALLOWED.sub("", s))})
