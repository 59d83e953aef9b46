"""Tolerant access to BOAMP ``donnees``/``gestion`` trees.

BOAMP converts XML to JSON: a repeated element is a dict when single and a list
otherwise, a text node is a plain string or ``{"#text": ..., "@attr": ...}``, empty
flags are ``""`` and element names may carry a namespace prefix (``cbc:ID``). These
helpers hide those variations so that the parser reads paths, not shapes.
"""

import functools
import html
import re

_URL = re.compile(r"https?://[^\s<>\"'()]+", re.IGNORECASE)
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def clean_text(value):
    """A string PostgreSQL and UTF-8 accept: NUL (U+0000) removed, lone surrogates (from
    ``\\ud800`` escapes in the JSON) replaced by U+FFFD. Other values are returned as is."""
    if not isinstance(value, str):
        return value
    if "\x00" in value:
        value = value.replace("\x00", "")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = _LONE_SURROGATE.sub("\ufffd", value)
    return value


# the JSON escapes that become a NUL or a surrogate once loaded
_UNSAFE_ESCAPE = re.compile(r"\\u(?:0000|[dD][89a-fA-F])")


def json_needs_cleaning(source):
    """Whether the tree loaded from the JSON text ``source`` may hold a NUL or a surrogate
    (a dict, or text with such escapes); the parser then cleans the tree, else it skips
    a walk over thousands of nodes."""
    return not isinstance(source, str) or bool(_UNSAFE_ESCAPE.search(source))


def clean_tree(value):
    """:func:`clean_text` over every key and string of a JSON tree (a new tree)."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(k): clean_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [clean_tree(v) for v in value]
    return value


def as_list(value):
    """``None`` → ``[]``, a list unchanged, anything else → ``[value]``."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    return [value]


def text(value):
    """The stripped text of a node (``str``, number, or ``{"#text": ...}``); ``None`` if empty.

    A list gives the text of its first non-empty element.
    """
    if isinstance(value, dict):
        return text(value.get("#text"))
    if isinstance(value, list):
        for item in value:
            found = text(item)
            if found is not None:
                return found
        return None
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return None


def attr(value, name):
    """The attribute ``@name`` of a node (prefix-tolerant), or ``None``."""
    if not isinstance(value, dict):
        return None
    for key, found in value.items():
        if key.startswith("@") and local_name(key[1:]) == name:
            return text(found)
    return None


@functools.lru_cache(maxsize=4096)
def local_name(key):
    """``cbc:ID`` → ``ID``; ``ID`` → ``ID``."""
    return key.rsplit(":", 1)[-1]


def children(node, name):
    """The values under key ``name`` (exact, else same local name), lists flattened."""
    found = []
    for item in as_list(node):
        if not isinstance(item, dict):
            continue
        if name in item:
            found.extend(as_list(item[name]))
            continue
        wanted = local_name(name)
        for key, value in item.items():
            if not key.startswith(("@", "#")) and local_name(key) == wanted:
                found.extend(as_list(value))
    return found


def walk(node, path):
    """Every node reached by ``path`` (``"a/b/c"``), following all list branches."""
    nodes = as_list(node)
    for step in path.split("/"):
        nodes = [child for parent in nodes for child in children(parent, step)]
        if not nodes:
            break
    return nodes


def first(node, path):
    """The first node reached by ``path``, or ``None``."""
    found = walk(node, path)
    return found[0] if found else None


def first_text(node, *paths):
    """The first non-empty text found along the given paths, tried in order."""
    for path in paths:
        for found in walk(node, path):
            value = text(found)
            if value is not None:
                return value
    return None


class KeyIndex:
    """Every value of a tree by its key's local name, found in one walk, on first use.

    The recursive key search is the parser's fallback for unknown shapes and gaps; a
    record may need a dozen names, so the tree is walked once, not once per name. A value
    is indexed under a name unless an enclosing key has that same local name (the search
    stops at the first match on each branch), in the order :func:`find_keys` gives.
    """

    def __init__(self, node, source=None):
        self._node = node
        self._values = None
        # ``source``: the JSON text the tree was read from. A key is written ``"...name"``
        # there, so a name absent from the text is absent from the tree: no walk (unless
        # \u escapes could hide it).
        self._source = source if isinstance(source, str) and "\\u" not in source else None

    def get(self, name):
        """Every value whose key's local name is ``name`` (lists flattened)."""
        if self._values is None:
            if self._source is not None and f'{name}"' not in self._source:
                return []
            self._values = self._walk(self._node)
        return self._values.get(name, [])

    @staticmethod
    def _walk(node):
        values = {}
        stack = [(node, frozenset())]
        while stack:
            current, above = stack.pop()
            if isinstance(current, list):
                stack.extend((item, above) for item in reversed(current))
            elif isinstance(current, dict):
                for key, value in current.items():
                    if key.startswith(("@", "#")):
                        continue
                    name = local_name(key)
                    if name not in above:
                        values.setdefault(name, []).extend(as_list(value))
                    if isinstance(value, dict | list):
                        stack.append((value, above if name in above else above | {name}))
        return values


def find_keys(node, name):
    """Recursive search: every value whose key's local name is ``name`` (lists flattened).

    The fallback when a shape is unknown or a path changed between schema versions.
    """
    return KeyIndex(node).get(name)


def find_text(node, *names):
    """The first non-empty text of a recursive key search over ``names``, in order."""
    for name in names:
        value = text(find_keys(node, name))
        if value is not None:
            return value
    return None


def flag(node):
    """The key of a one-key "choice" element (``{"TRAVAUX": ""}`` → ``"TRAVAUX"``)."""
    for item in as_list(node):
        if isinstance(item, dict):
            for key in item:
                if not key.startswith(("@", "#")):
                    return key
        elif isinstance(item, str) and item.strip():
            return item.strip()
    return None


def clean_url(value):
    """A URL with HTML entities (``&amp;``) unescaped, or ``None`` if not an http(s) URL."""
    value = text(value)
    if not value:
        return None
    value = html.unescape(value).strip()
    if not value.lower().startswith(("http://", "https://")):
        return None
    return value


def url_in_text(value):
    """The first http(s) URL in free text, unescaped and without trailing punctuation."""
    value = text(value)
    if not value:
        return None
    match = _URL.search(html.unescape(value))
    return match.group(0).rstrip(".,;:") if match else None
