"""A small ODSQL (OpenDataSoft query language) engine for the BOAMP double.

It covers the subset real BOAMP consumers send (docs/boamp.md section 2): ``AND``/``OR``/``NOT``,
parentheses, comma-separated clauses (an implicit ``AND``), ``=``/``!=`` on text and on
multivalued fields (any element matches), ``<``/``<=``/``>``/``>=`` against numbers,
strings, ``date'…'`` literals and ``now(days=-1, …)``, ``IS [NOT] NULL``,
``search(field, "text")`` and ``search("text")`` (``#search`` too), a bare string as a
full-text search, ``[NOT] LIKE``, ``date_format(field, 'yyyy')`` and
``startswith(field, "prefix")`` (ODSQL's filtering function, used by the DECP client to
select places of execution by département).

Semantics, where ODS documents them: ``=`` is an exact, non-normalised match; full-text
search is case- and accent-insensitive, tokenised, every query word must start a word of
the text (so ``"photovolt"`` finds ``Photovoltaïque``); ``LIKE`` uses ``%``/``*`` wildcards
over the normalised text and without wildcard behaves like a token search.

Evaluation works on sets of row positions over a :class:`Table`, whose per-field indexes
(exact values, normalised text, parsed dates) are built lazily and kept, so that a
paged query over 10 000 rows costs a few set operations instead of a Python loop per
row and node.  Errors raise :class:`ODSQLError` carrying the message ODS puts in its
``{"error_code": "ODSQLError", "message": …}`` envelope.
"""

import operator
import re
import unicodedata
from bisect import bisect_left, bisect_right
from datetime import date, datetime, time, timezone

from dateutil.relativedelta import relativedelta

__all__ = ["ODSQLError", "Table", "normalize", "parse_where", "parse_order_by", "query"]


class ODSQLError(ValueError):
    """A malformed query; ``str(exc)`` is the message ODS would return."""

    def __init__(self, detail, clause="where"):
        self.detail, self.clause = detail, clause
        super().__init__(
            f"ODSQL query is malformed: {detail} Clause(s) containing the error(s): {clause}."
        )


# -- text normalisation --------------------------------------------------------


def _fold_table():
    table = {}
    for code in range(0xC0, 0x250):
        char = chr(code)
        base = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
        if base and base != char:
            table[code] = base.lower()
    table.update({ord("œ"): "oe", ord("Œ"): "oe", ord("æ"): "ae", ord("Æ"): "ae", ord("ß"): "ss"})
    return table


_FOLD = _fold_table()
_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalize(text):
    """Lower-case, accents folded, punctuation collapsed to single spaces, padded with
    a leading and trailing space so that ``" word"`` tests a word start."""
    folded = str(text).lower().translate(_FOLD)
    return " " + _NON_WORD.sub(" ", folded).strip() + " "


# -- tokens ----------------------------------------------------------------------

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<date>date\s*(?P<dq>['"])(?P<dval>.*?)(?P=dq))
  | (?P<str>"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')
  | (?P<num>-?\d+(?:\.\d+)?(?![\w-]))
  | (?P<name>\#?[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op><=|>=|!=|<>|=|<|>)
  | (?P<punct>[(),])
    """,
    re.VERBOSE | re.IGNORECASE,
)

_KEYWORDS = {"and", "or", "not", "is", "null", "like", "true", "false"}


def _unquote(raw):
    body = raw[1:-1]
    return re.sub(r"\\(.)", r"\1", body)


def _tokenize(text, clause):
    tokens, pos = [], 0
    while pos < len(text):
        m = _TOKEN.match(text, pos)
        if not m:
            raise ODSQLError(f"Syntax error at character {pos}: {text[pos : pos + 20]!r}.", clause)
        pos = m.end()
        kind = m.lastgroup
        if kind == "ws":
            continue
        if m.group("date"):
            tokens.append(("date", _parse_date_literal(m.group("dval"), clause)))
        elif kind == "str":
            tokens.append(("str", _unquote(m.group("str"))))
        elif kind == "num":
            value = m.group("num")
            tokens.append(("num", float(value) if "." in value else int(value)))
        elif kind == "name":
            word = m.group("name")
            lower = word.lower()
            tokens.append(("kw", lower) if lower in _KEYWORDS else ("name", word))
        else:
            tokens.append((kind, m.group(kind)))
    tokens.append(("end", None))
    return tokens


def _parse_date_literal(value, clause):
    """``date'2026-05-01'``, ``date'2026-05'``, ``date'2026'`` or an ISO datetime."""
    value = value.strip()
    for fmt, size in (("%Y-%m-%d", 10), ("%Y-%m", 7), ("%Y", 4), ("%Y/%m/%d", 10)):
        if len(value) == size:
            try:
                parsed = datetime.strptime(value, fmt)
            except ValueError:
                continue
            return parsed.replace(tzinfo=timezone.utc)
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ODSQLError(f"Invalid date literal {value!r}.", clause) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def to_datetime(value):
    """A field value as an aware datetime (dates at midnight UTC), or None."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=timezone.utc)
    if isinstance(value, date):
        return datetime.combine(value, time(), timezone.utc)
    text = str(value)
    try:
        if len(text) == 10:
            return datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=timezone.utc)
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


# -- parser ----------------------------------------------------------------------
# AST nodes are tuples:
#   ("and", a, b) ("or", a, b) ("not", a) ("all",)
#   ("cmp", op, operand, literal)      operand = ("field", name) | ("date_format", name, fmt)
#   ("null", field, is_null) ("search", fields|None, text) ("like", field, pattern)

_CLAUSE_ENDS = {("end", None), ("kw", "and"), ("kw", "or"), ("punct", ")"), ("punct", ",")}
_NOW_UNITS = {"years", "months", "weeks", "days", "hours", "minutes", "seconds"}


class _Parser:
    def __init__(self, text, fields, clause="where", now=None):
        self.clause = clause
        self.fields = fields
        self.now = now or datetime.now(timezone.utc)
        self.tokens = _tokenize(text, clause)
        self.pos = 0

    # token helpers
    def peek(self, offset=0):
        return self.tokens[self.pos + offset]

    def take(self):
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def accept(self, kind, value=None):
        token = self.peek()
        if token[0] == kind and (value is None or str(token[1]).lower() == value):
            self.pos += 1
            return token
        return None

    def expect(self, kind, value=None):
        token = self.accept(kind, value)
        if not token:
            found = self.peek()
            raise self.error(f"Expected {value or kind} but found {found[1] or 'end of query'!r}.")
        return token

    def error(self, detail):
        return ODSQLError(detail, self.clause)

    # grammar
    def parse_where(self):
        if self.peek()[0] == "end":
            return ("all",)
        node = self.parse_or()
        while self.accept("punct", ","):
            node = ("and", node, self.parse_or())
        if self.peek()[0] != "end":
            raise self.error(f"Unexpected {self.peek()[1]!r}.")
        return node

    def parse_or(self):
        node = self.parse_and()
        while self.accept("kw", "or"):
            node = ("or", node, self.parse_and())
        return node

    def parse_and(self):
        node = self.parse_not()
        while self.accept("kw", "and"):
            node = ("and", node, self.parse_not())
        return node

    def parse_not(self):
        if self.accept("kw", "not"):
            return ("not", self.parse_not())
        return self.parse_primary()

    def parse_primary(self):
        if self.accept("punct", "("):
            node = self.parse_or()
            self.expect("punct", ")")
            return node
        token = self.peek()
        if token[0] == "str" and self.peek(1) in _CLAUSE_ENDS:
            self.take()
            return ("search", None, token[1])
        if token[0] == "name" and token[1].lstrip("#").lower() == "search":
            return self.parse_search()
        if token[0] == "name" and token[1].lower() == "startswith":
            return self.parse_startswith()
        left = self.parse_operand()
        return self.parse_predicate(left)

    def parse_search(self):
        self.take()
        self.expect("punct", "(")
        args = []
        while True:
            token = self.take()
            if token[0] == "str":
                args.append(("str", token[1]))
            elif token[0] == "name":
                args.append(("field", self.field(token[1])))
            elif token[0] == "op" and token[1] == "*":
                args.append(("field", "*"))
            else:
                raise self.error(f"Invalid argument {token[1]!r} for function search.")
            if self.accept("punct", ")"):
                break
            self.expect("punct", ",")
        if not args or args[-1][0] != "str" or any(kind != "field" for kind, _ in args[:-1]):
            raise self.error("Function search expects fields then one string.")
        fields = [name for _, name in args[:-1]] or None
        return ("search", fields, args[-1][1])

    def parse_startswith(self):
        """``startswith(field, "prefix")``: the raw value begins with the prefix (the
        case-sensitive, non-normalised reading is an inference: ODS documents the function,
        not its folding)."""
        self.take()
        self.expect("punct", "(")
        name = self.field(self.expect("name")[1])
        self.expect("punct", ",")
        prefix = self.expect("str")[1]
        self.expect("punct", ")")
        return ("startswith", name, prefix)

    def parse_operand(self):
        token = self.take()
        kind, value = token
        if kind == "name":
            lower = value.lower()
            if lower == "now" and self.peek() == ("punct", "("):
                return ("lit", self.parse_now())
            if lower == "date_format" and self.peek() == ("punct", "("):
                self.expect("punct", "(")
                name = self.field(self.expect("name")[1])
                self.expect("punct", ",")
                fmt = self.expect("str")[1]
                self.expect("punct", ")")
                return ("date_format", name, fmt)
            if self.peek() == ("punct", "("):
                raise self.error(f"Unknown function: {value}.")
            return ("field", self.field(value))
        if kind in ("str", "num", "date"):
            return ("lit", value)
        if kind == "kw" and value in ("true", "false"):
            return ("lit", value == "true")
        raise self.error(f"Unexpected {value or 'end of query'!r}.")

    def parse_now(self):
        self.expect("punct", "(")
        delta = relativedelta()
        while not self.accept("punct", ")"):
            unit = self.expect("name")[1].lower()
            if unit not in _NOW_UNITS:
                raise self.error(f"Invalid parameter {unit!r} for function now.")
            self.expect("op", "=")
            amount = self.expect("num")[1]
            delta += relativedelta(**{unit: amount})
            if not self.accept("punct", ","):
                self.expect("punct", ")")
                break
        return self.now + delta

    def parse_predicate(self, left):
        if self.accept("kw", "is"):
            negate = bool(self.accept("kw", "not"))
            self.expect("kw", "null")
            return ("null", self.field_of(left), not negate)
        negate_like = bool(self.accept("kw", "not"))
        if self.accept("kw", "like"):
            pattern = self.expect("str")[1]
            node = ("like", self.field_of(left), pattern)
            return ("not", node) if negate_like else node
        if negate_like:
            raise self.error("Expected LIKE after NOT.")
        op = self.expect("op")[1]
        right = self.parse_operand()
        if left[0] == "lit" and right[0] != "lit":
            left, right = right, left
            op = {"<": ">", ">": "<", "<=": ">=", ">=": "<="}.get(op, op)
        if left[0] == "lit" or right[0] != "lit":
            raise self.error("A comparison needs one field and one value.")
        return ("cmp", "!=" if op == "<>" else op, left, right[1])

    def field(self, name):
        if name not in self.fields:
            raise self.error(f"Unknown field: {name}.")
        return name

    def field_of(self, operand):
        if operand[0] != "field":
            raise self.error("Expected a field name.")
        return operand[1]


def parse_where(text, fields, now=None):
    """Parse a ``where`` clause into an AST; raises :class:`ODSQLError`."""
    return _Parser(text or "", fields, "where", now).parse_where()


def parse_order_by(text, fields):
    """``"dateparution desc, idweb"`` → ``[("dateparution", True), ("idweb", False)]``."""
    keys = []
    for part in (text or "").split(","):
        words = part.split()
        if not words:
            if text and text.strip():
                raise ODSQLError("Empty sort expression.", "order_by")
            continue
        if len(words) > 2 or (len(words) == 2 and words[1].lower() not in ("asc", "desc")):
            raise ODSQLError(f"Invalid sort expression {part.strip()!r}.", "order_by")
        if words[0] not in fields:
            raise ODSQLError(f"Unknown field: {words[0]}.", "order_by")
        keys.append((words[0], len(words) == 2 and words[1].lower() == "desc"))
    return keys


# -- table and evaluation ------------------------------------------------------------


def _values(value):
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list) else (value,)


class Table:
    """Rows (flat dicts) plus lazily built per-field indexes for :func:`query`.

    ``field_types`` maps a field name to ``"text"``, ``"date"``, ``"datetime"`` or
    ``"int"``/``"double"``; every field of the schema must be listed.
    """

    def __init__(self, rows, field_types):
        self.rows = list(rows)
        self.field_types = dict(field_types)
        self.universe = frozenset(range(len(self.rows)))
        self._exact, self._text, self._dates, self._all_text = {}, {}, {}, None
        self._nulls, self._ranked, self._sort = {}, {}, {}

    def exact(self, field):
        index = self._exact.get(field)
        if index is None:
            index = {}
            for pos, row in enumerate(self.rows):
                for value in _values(row.get(field)):
                    index.setdefault(str(value), set()).add(pos)
            self._exact[field] = index
        return index

    def text(self, field):
        texts = self._text.get(field)
        if texts is None:
            texts = [
                normalize(" ".join(str(v) for v in _values(row.get(field)))) for row in self.rows
            ]
            self._text[field] = texts
        return texts

    def all_text(self):
        if self._all_text is None:
            columns = [self.text(name) for name in self.field_types]
            self._all_text = [" ".join(parts) for parts in zip(*columns, strict=True)]
        return self._all_text

    def dates(self, field):
        parsed = self._dates.get(field)
        if parsed is None:
            parsed = [
                tuple(d for d in map(to_datetime, _values(row.get(field))) if d is not None)
                for row in self.rows
            ]
            self._dates[field] = parsed
        return parsed

    def nulls(self, field):
        nulls = self._nulls.get(field)
        if nulls is None:
            nulls = {pos for pos, row in enumerate(self.rows) if not _values(row.get(field))}
            self._nulls[field] = nulls
        return nulls

    def date_range(self, field, op, literal):
        """Rows with some date ``op`` literal, by bisection over the rows sorted on their
        earliest (``<``, ``<=``) or latest (``>``, ``>=``) date."""
        key = (field, op in ("<", "<="))
        ranked = self._ranked.get(key)
        if ranked is None:
            pick = min if key[1] else max
            pairs = sorted((pick(vs), p) for p, vs in enumerate(self.dates(field)) if vs)
            ranked = ([v for v, _ in pairs], [p for _, p in pairs])
            self._ranked[key] = ranked
        values, positions = ranked
        if op == ">=":
            return set(positions[bisect_left(values, literal) :])
        if op == ">":
            return set(positions[bisect_right(values, literal) :])
        if op == "<=":
            return set(positions[: bisect_right(values, literal)])
        return set(positions[: bisect_left(values, literal)])

    def sort_column(self, field):
        """Per row, the comparable first value of ``field`` (None when missing)."""
        column = self._sort.get(field)
        if column is None:
            ftype = self.field_types.get(field, "text")
            if ftype in ("date", "datetime"):
                column = [vs[0] if vs else None for vs in self.dates(field)]
            else:
                convert = float if ftype in ("int", "double") else str
                column = []
                for row in self.rows:
                    values = _values(row.get(field))
                    column.append(convert(values[0]) if values else None)
            self._sort[field] = column
        return column


_CMP = {"<": operator.lt, "<=": operator.le, ">": operator.gt, ">=": operator.ge, "=": operator.eq}


def _evaluate(node, table):
    kind = node[0]
    if kind == "all":
        return set(table.universe)
    if kind == "and":
        left = _evaluate(node[1], table)
        return left & _evaluate(node[2], table) if left else left
    if kind == "or":
        return _evaluate(node[1], table) | _evaluate(node[2], table)
    if kind == "not":
        return set(table.universe - _evaluate(node[1], table))
    if kind == "null":
        nulls = table.nulls(node[1])
        return nulls if node[2] else set(table.universe - nulls)
    if kind == "search":
        return _search(table, node[1], node[2])
    if kind == "like":
        return _like(table, node[1], node[2])
    if kind == "startswith":
        return {
            pos
            for value, positions in table.exact(node[1]).items()
            if value.startswith(node[2])
            for pos in positions
        }
    return _compare(table, node[1], node[2], node[3])


def _search(table, fields, text):
    words = normalize(text).split()
    if not words:
        return set(table.universe)
    if not fields or "*" in fields:
        texts = table.all_text()
    else:
        texts = [" ".join(parts) for parts in zip(*map(table.text, fields), strict=True)]
    needles = [" " + word for word in words]
    return {pos for pos, hay in enumerate(texts) if all(n in hay for n in needles)}


def _like(table, field, pattern):
    if not any(c in pattern for c in "%*"):
        return _search(table, [field], pattern)
    parts = re.split(r"[%*]", pattern)
    regex = re.compile(".*".join(re.escape(normalize(p).strip()) for p in parts), re.DOTALL)
    return {pos for pos, hay in enumerate(table.text(field)) if regex.search(hay)}


def _date_format(value, fmt):
    mapping = (("yyyy", "%Y"), ("MM", "%m"), ("dd", "%d"), ("HH", "%H"), ("mm", "%M"), ("ss", "%S"))
    for java, strf in mapping:
        fmt = fmt.replace(java, strf)
    return value.strftime(fmt)


def _compare(table, op, operand, literal):
    if operand[0] == "date_format":
        field, fmt = operand[1], operand[2]
        test = _CMP["=" if op == "!=" else op]
        hits = {
            pos
            for pos, values in enumerate(table.dates(field))
            if any(test(_date_format(v, fmt), str(literal)) for v in values)
        }
        return set(table.universe - hits - table.nulls(field)) if op == "!=" else hits
    field = operand[1]
    ftype = table.field_types.get(field, "text")
    if op in ("=", "!=") and not isinstance(literal, datetime) and ftype == "text":
        hits = set(table.exact(field).get(_literal_text(literal), ()))
        return set(table.universe - hits - table.nulls(field)) if op == "!=" else hits
    if isinstance(literal, datetime) or ftype in ("date", "datetime"):
        if not isinstance(literal, datetime):
            literal = to_datetime(literal)
            if literal is None:
                raise ODSQLError(f"Cannot compare date field {field} with {literal!r}.")
        columns = table.dates(field)
        if ftype == "date" and op in ("=", "!="):
            literal_day = literal.date()
            hits = {p for p, vs in enumerate(columns) if any(v.date() == literal_day for v in vs)}
        elif op in ("=", "!="):
            hits = {p for p, vs in enumerate(columns) if literal in vs}
        else:
            return table.date_range(field, op, literal)
        return set(table.universe - hits - table.nulls(field)) if op == "!=" else hits
    test = _CMP["=" if op == "!=" else op]
    hits = set()
    for pos, row in enumerate(table.rows):
        for value in _values(row.get(field)):
            try:
                if isinstance(literal, (int, float)) and not isinstance(literal, bool):
                    ok = test(float(value), literal)
                else:
                    ok = test(str(value), _literal_text(literal))
            except (TypeError, ValueError):
                ok = False
            if ok:
                hits.add(pos)
                break
    return set(table.universe - hits - table.nulls(field)) if op == "!=" else hits


def _literal_text(literal):
    if isinstance(literal, bool):
        return "true" if literal else "false"
    if isinstance(literal, float) and literal.is_integer():
        return str(int(literal))
    return str(literal)


def _sort(table, positions, order):
    """Stable multi-key sort; missing values sort last in both directions."""
    ordered = sorted(positions)
    for field, descending in reversed(order):
        column = table.sort_column(field)
        present = [p for p in ordered if column[p] is not None]
        present.sort(key=column.__getitem__, reverse=descending)
        ordered = present + [p for p in ordered if column[p] is None]
    return ordered


def query(table, where=None, order_by=None, now=None):
    """Positions of the rows matching ``where``, sorted by ``order_by``."""
    fields = table.field_types
    tree = parse_where(where, fields, now)
    order = parse_order_by(order_by, fields)
    return _sort(table, _evaluate(tree, table), order)
