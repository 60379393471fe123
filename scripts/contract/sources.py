"""Reads the repository's sources for the contract test: a small lexer per language and the
parsers that pull names out of the lexed code.

Parsing works on lexed code, in which comments are blanked and every string literal is
replaced by a placeholder, so a name in a comment or a brace inside a string never counts.
Parsers are strict: a declaration they cannot read is an error, not an empty result.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A string literal in lexed code: \x01<index>\x02, index into Lexed.literals.
LIT = r"\x01(\d+)\x02"
IDENT = r"[A-Za-z_][A-Za-z0-9_]*"


class SourceError(Exception):
    """A source is missing or cannot be read the way the contract expects."""


@dataclass
class Literal:
    value: str  # escapes resolved, interpolations kept as written
    interpolated: bool


@dataclass
class Lexed:
    path: Path
    code: str
    literals: list = field(default_factory=list)

    def lit(self, match_group):
        return self.literals[int(match_group)].value

    def values(self):
        return [literal.value for literal in self.literals]

    def where(self):
        return rel(self.path)


def rel(path):
    try:
        return str(Path(path).relative_to(ROOT))
    except ValueError:
        return str(path)


def read(path):
    path = ROOT / path if not Path(path).is_absolute() else Path(path)
    if not path.is_file():
        raise SourceError(f"{rel(path)} is missing")
    return path, path.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------------
# Lexer

LANGS = {"ts", "kotlin", "swift", "rust", "java"}
ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", '"': '"', "'": "'", "\\": "\\", "$": "$", "`": "`"}


class _Scanner:
    def __init__(self, text, lang):
        if lang not in LANGS:
            raise ValueError(lang)
        self.text = text
        self.lang = lang
        self.i = 0
        self.out = []
        self.literals = []

    def run(self):
        t = self.text
        nested_comments = self.lang in ("kotlin", "swift", "rust")
        while self.i < len(t):
            c = t[self.i]
            if t.startswith("//", self.i):
                end = t.find("\n", self.i)
                end = len(t) if end < 0 else end
                self.out.append(" " * (end - self.i))
                self.i = end
            elif t.startswith("/*", self.i):
                self._block_comment(nested_comments)
            elif self._string_start():
                start = self.i
                value, interpolated = self._string()
                self.out.append(f"\x01{len(self.literals)}\x02")
                self.literals.append(Literal(value, interpolated))
                # Keep line count stable for anyone counting newlines.
                self.out.append("\n" * t.count("\n", start, self.i))
            elif c == "'" and self.lang in ("kotlin", "rust", "java"):
                self._char_or_lifetime()
            elif c == "/" and self.lang == "ts" and self._regex_allowed():
                self._regex()
            else:
                self.out.append(c)
                self.i += 1
        return "".join(self.out), self.literals

    def _block_comment(self, nested):
        t, depth, start = self.text, 0, self.i
        while self.i < len(t):
            if t.startswith("/*", self.i):
                depth = depth + 1 if (nested or depth == 0) else depth
                self.i += 2
            elif t.startswith("*/", self.i):
                depth -= 1
                self.i += 2
                if depth == 0:
                    break
            else:
                self.i += 1
        else:
            raise SourceError("unterminated block comment")
        chunk = t[start:self.i]
        self.out.append(re.sub(r"[^\n]", " ", chunk))

    def _string_start(self):
        t, i, lang = self.text, self.i, self.lang
        c = t[i]
        if c == '"':
            return True
        if lang == "ts" and c in "'`":
            return True
        if lang == "swift" and c == "#":
            return bool(re.match(r'#+"', t[i:]))
        if lang == "rust" and c in "rb":
            # r"..", r#".."#, b"..", br"..": only when not the tail of an identifier.
            if i > 0 and re.match(r"[A-Za-z0-9_]", t[i - 1]):
                return False
            return bool(re.match(r'(?:br|rb|r|b)#*"', t[i:]))
        return False

    def _string(self):
        t, lang = self.text, self.lang
        i = self.i
        if lang == "rust" and t[i] in "rb":
            m = re.match(r'(b?r?)(#*)"', t[i:])
            prefix, hashes = m.group(1), m.group(2)
            self.i = i + m.end()
            if "r" in prefix:
                end = t.find('"' + hashes, self.i)
                if end < 0:
                    raise SourceError("unterminated raw string")
                value = t[self.i:end]
                self.i = end + 1 + len(hashes)
                return value, False
            return self._quoted('"', escapes=True, interp=None)
        if lang == "swift" and t[i] == "#":
            hashes = re.match(r"#+", t[i:]).group(0)
            self.i = i + len(hashes)
            multi = t.startswith('"""', self.i)
            self.i += 3 if multi else 1
            close = ('"""' if multi else '"') + hashes
            end = t.find(close, self.i)
            if end < 0:
                raise SourceError("unterminated raw string")
            value = t[self.i:end]
            self.i = end + len(close)
            return value, ("\\" + hashes + "(") in value
        if t.startswith('"""', i) and lang in ("kotlin", "swift", "java"):
            self.i = i + 3
            interp = {"kotlin": "${", "swift": "\\(", "java": None}[lang]
            value, interpolated = self._quoted('"""', escapes=(lang != "kotlin"), interp=interp)
            if lang != "kotlin":  # Swift and Java drop the delimiters' own lines
                value = re.sub(r"\n[ \t]*$", "", re.sub(r"^[ \t]*\n", "", value))
            return value, interpolated
        quote = t[i]
        self.i = i + 1
        interp = {"ts": "${" if quote == "`" else None, "kotlin": "${", "swift": "\\(",
                  "rust": None, "java": None}[lang]
        return self._quoted(quote, escapes=True, interp=interp)

    def _quoted(self, close, escapes, interp):
        t = self.text
        parts, interpolated = [], False
        while True:
            if self.i >= len(t):
                raise SourceError("unterminated string")
            if t.startswith(close, self.i):
                self.i += len(close)
                return "".join(parts), interpolated
            c = t[self.i]
            if interp == "\\(" and t.startswith("\\(", self.i):
                start = self.i
                self.i += 1
                self._skip_balanced("(", ")")
                parts.append(t[start:self.i])
                interpolated = True
            elif interp == "${" and t.startswith("${", self.i):
                start = self.i
                self.i += 1
                self._skip_balanced("{", "}")
                parts.append(t[start:self.i])
                interpolated = True
            elif interp == "${" and self.lang == "kotlin" and re.match(r"\$[A-Za-z_]", t[self.i:self.i + 2]):
                m = re.match(r"\$" + IDENT, t[self.i:])
                parts.append(m.group(0))
                self.i += m.end()
                interpolated = True
            elif c == "\\" and escapes:
                nxt = t[self.i + 1] if self.i + 1 < len(t) else ""
                if nxt == "u":
                    m = re.match(r"\\u\{?([0-9A-Fa-f]{1,6})\}?", t[self.i:])
                    parts.append(chr(int(m.group(1), 16)) if m else "u")
                    self.i += m.end() if m else 2
                else:
                    parts.append(ESCAPES.get(nxt, nxt))
                    self.i += 2
            else:
                parts.append(c)
                self.i += 1

    def _skip_balanced(self, open_, close):
        """From an opening bracket, past its match, skipping strings inside."""
        t, depth = self.text, 0
        while self.i < len(t):
            if self._string_start():
                self._string()
                continue
            c = t[self.i]
            self.i += 1
            if c == open_:
                depth += 1
            elif c == close:
                depth -= 1
                if depth == 0:
                    return
        raise SourceError("unterminated interpolation")

    def _regex_allowed(self):
        """A `/` starts a TypeScript regex literal where an expression may begin."""
        before = "".join(self.out).rstrip()
        if not before:
            return True
        if re.search(r"(?:^|[^\w$])(?:return|typeof|case|throw|in|of|delete|void|new|yield|await)$", before):
            return True
        return before[-1] in "(,=:[!&|?{};+-*%<>~^"

    def _regex(self):
        t, start = self.text, self.i
        self.i += 1
        in_class = False
        while self.i < len(t) and t[self.i] != "\n":
            c = t[self.i]
            if c == "\\":
                self.i += 2
                continue
            if c == "[":
                in_class = True
            elif c == "]":
                in_class = False
            elif c == "/" and not in_class:
                self.i += 1
                while self.i < len(t) and t[self.i].isalpha():
                    self.i += 1
                self.out.append(" " * (self.i - start))
                return
            self.i += 1
        raise SourceError("unterminated regular expression")

    def _char_or_lifetime(self):
        t = self.text
        m = re.match(r"'(?:\\u\{?[0-9A-Fa-f]{1,6}\}?|\\.|[^\\'\n])'", t[self.i:])
        if m:
            self.out.append(" " * m.end())
            self.i += m.end()
        else:  # a Rust lifetime or label
            self.out.append("'")
            self.i += 1


def lex(path, lang):
    path, text = read(path)
    try:
        code, literals = _Scanner(text, lang).run()
    except SourceError as e:
        raise SourceError(f"{rel(path)}: {e}") from None
    return Lexed(path, code, literals)


def lex_text(text, lang, path="<text>"):
    code, literals = _Scanner(text, lang).run()
    return Lexed(Path(path), code, literals)


# ---------------------------------------------------------------------------------------------
# Structure helpers

PAIRS = {"(": ")", "[": "]", "{": "}"}


def matching(code, open_at):
    """Index of the bracket closing the one at open_at (lexed code: no strings or comments)."""
    stack = []
    for i in range(open_at, len(code)):
        c = code[i]
        if c in PAIRS:
            stack.append(PAIRS[c])
        elif c in ")]}":
            if not stack or stack.pop() != c:
                raise SourceError(f"unbalanced '{c}'")
            if not stack:
                return i
    raise SourceError("unclosed bracket")


def body_after(code, pattern, what, start=0):
    """(body, body_start) of the first {...} block following a match of pattern."""
    m = re.compile(pattern).search(code, start)
    if not m:
        raise SourceError(f"cannot find {what}")
    open_at = code.find("{", m.end() - 1)
    if open_at < 0:
        raise SourceError(f"{what} has no body")
    close = matching(code, open_at)
    return code[open_at + 1:close], open_at + 1


def depth0(text):
    """The text with everything nested inside brackets blanked (brackets kept)."""
    out, depth = [], 0
    for c in text:
        if c in ")]}":
            depth -= 1
        out.append(c if depth == 0 or c == "\n" else " ")
        if c in "([{":
            depth += 1
    return "".join(out)


def drop_attributes(text):
    """Blanks Rust #[...] attributes."""
    out = text
    m = re.search(r"#\[", out)
    while m:
        end = matching(out, m.end() - 1)
        out = out[:m.start()] + " " * (end + 1 - m.start()) + out[end + 1:]
        m = re.search(r"#\[", out)
    return out


def enclosing_pair(code, index):
    """Start index of the innermost bracket enclosing index, or -1 at top level."""
    stack = []
    for i in range(index):
        c = code[i]
        if c in "([{":
            stack.append(i)
        elif c in ")]}" and stack:
            stack.pop()
    return stack[-1] if stack else -1


def snake_to_camel(name):
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def camel_to_screaming(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()


# ---------------------------------------------------------------------------------------------
# TypeScript

def ts_interface_members(lexed, name):
    """{member: 'method' | 'property'} of `interface name`."""
    body, _ = body_after(lexed.code, rf"\binterface\s+{name}\b[^{{]*\{{", f"interface {name} in {lexed.where()}")
    flat = depth0(body)
    members = {}
    for m in re.finditer(r"(?:^|[;,{\n])\s*(?:readonly\s+)?([A-Za-z_$][\w$]*)\s*(\?)?\s*([(:<])", flat):
        kind = "method" if m.group(3) in "(<" else "property"
        if kind == "property":
            rest = flat[m.end():].lstrip()
            if rest.startswith("(") and "=>" in flat[m.end():flat.find(";", m.end())]:
                kind = "method"
        members[m.group(1)] = kind
    if not members:
        raise SourceError(f"interface {name} in {lexed.where()} has no members")
    return members


def ts_string_union(lexed, name):
    m = re.search(rf"\btype\s+{name}\s*=", lexed.code)
    if not m:
        raise SourceError(f"cannot find type {name} in {lexed.where()}")
    end = lexed.code.find(";", m.end())
    text = lexed.code[m.end(): end if end >= 0 else len(lexed.code)]
    members = [part.strip() for part in text.split("|") if part.strip()]
    values = []
    for part in members:
        lit = re.fullmatch(LIT, part)
        if not lit:
            raise SourceError(f"type {name} in {lexed.where()} has a member that is not a string literal: {part!r}")
        values.append(lexed.lit(lit.group(1)))
    return values


def ts_register_plugin_names(lexed):
    return [lexed.lit(m.group(1)) for m in
            re.finditer(r"\bregisterPlugin\s*(?:<[^()]*>)?\s*\(\s*" + LIT, lexed.code)]


# ---------------------------------------------------------------------------------------------
# Kotlin / Java (Android plugin)

MODIFIERS = r"(?:public|private|protected|internal|override|open|final|suspend|static|synchronized)"


def capacitor_plugin(lexed):
    """(name, class) of the @CapacitorPlugin class in the file."""
    m = re.search(r"@CapacitorPlugin\b\s*(\()?", lexed.code)
    if not m:
        raise SourceError(f"no @CapacitorPlugin in {lexed.where()}")
    args = ""
    after = m.end()
    if m.group(1):
        close = matching(lexed.code, m.end() - 1)
        args, after = lexed.code[m.end():close], close + 1
    name = re.search(r"\bname\s*=\s*" + LIT, args)
    if not name:
        raise SourceError(f"@CapacitorPlugin in {lexed.where()} has no name = \"...\"")
    cls = re.compile(r"\bclass\s+(" + IDENT + ")").search(lexed.code, after)
    if not cls:
        raise SourceError(f"no class after @CapacitorPlugin in {lexed.where()}")
    return lexed.lit(name.group(1)), cls.group(1)


def plugin_methods(lexed):
    """Names of the functions annotated @PluginMethod, in order."""
    code, names = lexed.code, []
    for m in re.finditer(r"@PluginMethod\b", code):
        i = m.end()
        rest = code[i:]
        args = re.match(r"\s*\(", rest)
        if args:
            i = matching(code, i + args.end() - 1) + 1
        while True:
            skip = re.compile(r"\s+|@[\w.]+|" + MODIFIERS + r"\b").match(code, i)
            if not skip or skip.end() == i:
                break
            i = skip.end()
            if code[skip.start()] == "@" and code[i:i + 1] == "(":
                i = matching(code, i) + 1
        fun = re.compile(r"(?:fun|void)\s+(" + IDENT + r")\s*\(").match(code, i)
        if not fun:
            raise SourceError(f"@PluginMethod in {lexed.where()} is not followed by a function")
        names.append(fun.group(1))
    return names


# ---------------------------------------------------------------------------------------------
# Swift (iOS plugin, generated bindings, Package.swift)

def swift_bridged_plugin(lexed):
    """Everything the bridge reads from the CAPBridgedPlugin class of the file."""
    code = lexed.code
    cls = re.search(r"\bclass\s+(" + IDENT + r")\s*:([^{]*)\{", code)
    while cls and "CAPBridgedPlugin" not in cls.group(2):
        cls = re.compile(r"\bclass\s+(" + IDENT + r")\s*:([^{]*)\{").search(code, cls.end())
    if not cls:
        raise SourceError(f"no class conforming to CAPBridgedPlugin in {lexed.where()}")
    open_at = cls.end() - 1
    body = code[open_at + 1:matching(code, open_at)]
    flat = depth0(body)

    def constant(name):
        m = re.search(r"\blet\s+" + name + r"\b[^=\n]*=\s*" + LIT, flat)
        if not m:
            raise SourceError(f"{cls.group(1)} in {lexed.where()} has no `let {name} = \"...\"`")
        return lexed.lit(m.group(1))

    methods_decl = re.search(r"\blet\s+pluginMethods\b[^=\n]*=\s*\[", flat)
    if not methods_decl:
        raise SourceError(f"{cls.group(1)} in {lexed.where()} has no `let pluginMethods = [...]`")
    array_open = methods_decl.end() - 1
    array = body[array_open + 1:matching(body, array_open)]
    entry = re.compile(r"\s*CAPPluginMethod\s*\(\s*name\s*:\s*" + LIT +
                       r"\s*,\s*returnType\s*:\s*(" + IDENT + r")\s*\)\s*(?:,|$)")
    methods, i = [], 0
    while array[i:].strip():
        m = entry.match(array, i)
        if not m:
            raise SourceError(f"cannot read pluginMethods entry in {lexed.where()}: {array[i:].strip()[:60]!r}")
        methods.append((lexed.lit(m.group(1)), m.group(2)))
        i = m.end()
    objc_funcs = re.findall(r"@objc\s+(?:(?:public|open|internal)\s+)?func\s+(" + IDENT +
                            r")\s*\(\s*_\s+" + IDENT + r"\s*:\s*CAPPluginCall\s*\)", body)
    objc_name = re.search(r"@objc\s*\(\s*(" + IDENT + r")\s*\)[^{;]*$", code[:cls.start()])
    return {
        "class": cls.group(1),
        "objc_name": objc_name.group(1) if objc_name else None,
        "identifier": constant("identifier"),
        "jsName": constant("jsName"),
        "methods": methods,
        "objc_funcs": objc_funcs,
    }


def swift_enum_cases(lexed, name):
    body, _ = body_after(lexed.code, r"\benum\s+" + name + r"\b[^{]*\{", f"enum {name} in {lexed.where()}")
    return re.findall(r"\bcase\s+(" + IDENT + r")\b", depth0(body))


def swift_struct_vars(lexed, name):
    body, _ = body_after(lexed.code, r"\bstruct\s+" + name + r"\b[^{]*\{", f"struct {name} in {lexed.where()}")
    # Stored properties only: uniffi adds computed ones (`description`, `debugDescription`) for
    # exported Display/Debug, and those end in a `{ ... }` body on the same declaration.
    flat = depth0(body)
    return [m.group(1) for m in re.finditer(r"\bpublic\s+var\s+(" + IDENT + r")\s*:[^\n{]*(\{)?", flat)
            if m.group(2) is None]


# ---------------------------------------------------------------------------------------------
# Rust core

def rust_error_codes(lexed):
    m = re.search(r"\bpub\s+const\s+ERROR_CODES\s*:\s*\[\s*&(?:'static\s+)?str\s*;\s*(\d+)\s*\]\s*=\s*\[", lexed.code)
    if not m:
        raise SourceError(f"cannot find `pub const ERROR_CODES: [&str; N] = [...]` in {lexed.where()}")
    close = matching(lexed.code, m.end() - 1)
    items = [part.strip() for part in lexed.code[m.end():close].split(",") if part.strip()]
    codes = []
    for item in items:
        lit = re.fullmatch(LIT, item)
        if not lit:
            raise SourceError(f"ERROR_CODES in {lexed.where()} holds something other than a string: {item!r}")
        codes.append(lexed.lit(lit.group(1)))
    if int(m.group(1)) != len(codes):
        raise SourceError(f"ERROR_CODES declares {m.group(1)} codes but lists {len(codes)}")
    return codes


def rust_enum_variants(lexed, name):
    body, _ = body_after(lexed.code, r"\benum\s+" + name + r"\b[^{]*\{", f"enum {name} in {lexed.where()}")
    flat = depth0(drop_attributes(body))
    return re.findall(r"(?:^|,)\s*(" + IDENT + r")\s*(?=[{(,]|$)", flat.strip())


def rust_struct_fields(lexed, name):
    body, _ = body_after(lexed.code, r"\bstruct\s+" + name + r"\b[^{]*\{", f"struct {name} in {lexed.where()}")
    return re.findall(r"\bpub\s+(" + IDENT + r")\s*:", depth0(drop_attributes(body)))


def rust_code_arms(lexed):
    """{variant: code} from the `Self::Variant { .. } => "CODE"` arms of fn code_str."""
    body, _ = body_after(lexed.code, r"\bfn\s+code_str\b[^{]*\{", f"fn code_str in {lexed.where()}")
    arms = re.findall(r"Self::(" + IDENT + r")\s*(?:\{\s*\.\.\s*\}|\(\s*\.\.\s*\))?\s*=>\s*" + LIT, body)
    return {variant: lexed.lit(index) for variant, index in arms}


# ---------------------------------------------------------------------------------------------
# What adapters emit

CODE_SHAPE = re.compile(r"[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*")


def edit_distance(a, b):
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        prev, row[0] = row[0], i
        for j, cb in enumerate(b, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (ca != cb))
    return row[-1]


def code_like_literals(lexed_files, known_codes):
    """String literals that look like error codes: a known code, a near miss of one (a typo),
    or an upper-case name with underscores. Returns {literal: [file, ...]}."""
    found = {}
    for lexed in lexed_files:
        for value in lexed.values():
            if not CODE_SHAPE.fullmatch(value) or len(value) < 4:
                continue
            near = any(edit_distance(value, code) <= 2 for code in known_codes)
            if value in known_codes or near or "_" in value:
                found.setdefault(value, []).append(lexed.where())
    return found


def delegates_codes_to_core(lexed_files):
    """Whether the adapter passes the core error's own code() through."""
    return any(re.search(r"\.code\s*\(\s*\)", lexed.code) for lexed in lexed_files)


KEY_USES = {
    # Swift dictionary literal entries: ["key": value, ...]
    "swift": [re.compile(r"(?<=[\[,])\s*" + LIT + r"\s*:")],
    # Kotlin JSONObject/JSObject put("key", v), "key" to v, obj["key"] = v
    "kotlin": [re.compile(r"(?:\.|\b)put\w*\s*\(\s*" + LIT + r"\s*,"),
               re.compile(LIT + r"\s+to\b"),
               re.compile(r"\[\s*" + LIT + r"\s*\]\s*=(?!=)")],
}


def object_key_groups(lexed_files, lang):
    """Keys written into JS objects, grouped by the innermost bracket that holds the statement
    building them: [(file, {keys})]."""
    groups = {}
    for lexed in lexed_files:
        for pattern in KEY_USES[lang]:
            for m in pattern.finditer(lexed.code):
                anchor = enclosing_pair(lexed.code, m.start(1) - 1)
                if lang == "kotlin" and "put" in pattern.pattern:
                    anchor = enclosing_pair(lexed.code, m.start())
                groups.setdefault((lexed.where(), anchor), set()).add(lexed.lit(m.group(1)))
    return [(where, keys) for (where, _), keys in groups.items()]


def objects_shaped_like(groups, expected, other_shapes=()):
    """The key groups that build an object of this shape (half its keys or more), each with the
    keys it lacks and the keys it has that belong to no known shape."""
    expected = set(expected)
    known = expected.union(*map(set, other_shapes)) if other_shapes else expected
    shaped = []
    for where, keys in groups:
        if len(keys & expected) * 2 >= len(expected):
            shaped.append((where, sorted(expected - keys), sorted(keys - known)))
    return shaped


PLACEHOLDERS = {
    "ts": r"\$\{[^}]*\}",
    "kotlin": r"\$\{[^}]*\}|\$" + IDENT,
    "java": r"(?!x)x",  # Java has no string templates
    "swift": r"\\\([^)]*\)",
    "rust": r"\{[^{}]*\}",  # format! arguments
}
NUMBER = re.compile(r"(?<![\w.])\d[\d_]*(?![\w.])")


def without_rust_tests(lexed):
    """The lexed file with its `#[cfg(test)] mod … { … }` blocks blanked: the texts that tests
    assert are not texts the code produces."""
    code = lexed.code
    for m in reversed(list(re.finditer(r"#\[cfg\(test\)\]\s*mod\s+" + IDENT + r"\s*\{", code))):
        close = matching(code, m.end() - 1)
        code = code[:m.start()] + re.sub(r"[^\n]", " ", code[m.start():close + 1]) + code[close + 1:]
    return Lexed(lexed.path, code, lexed.literals)


def produces(sources, message, given=()):
    """Whether `sources` ([(lexed, lang)]) can produce `message`: as a string literal, or as a
    template whose placeholders are filled by what the code has: another literal, or one level
    down another template (Rust's `format!("base URL {why}")` with `invalid("is not a valid
    URL")`), a number written in the code (a bound), or part of an option value the call passed
    (`given`), or its length in characters ("got 301"). Only literals the code still holds count,
    so strip tests first (without_rust_tests)."""
    plain, templates, numbers = set(), [], set()
    for lexed, lang in sources:
        numbers |= {n.replace("_", "") for n in NUMBER.findall(lexed.code)}
        for index in re.findall(LIT, lexed.code):
            literal = lexed.literals[int(index)]
            parts = re.split(PLACEHOLDERS[lang], literal.value)
            # A template has text besides its placeholders; Rust marks none as interpolated.
            if len(parts) > 1 and any(parts) and (literal.interpolated or lang == "rust"):
                templates.append(parts)
            else:
                plain.add(literal.value)
    values = [v for v in given if isinstance(v, str)]
    lengths = {str(len(v)) for v in values}

    def fill(text, depth):
        return bool(text) and (text in plain or text in numbers or text in lengths
                               or any(text in v for v in values) or (depth > 0 and made(text, depth - 1)))

    def fits(text, parts, depth):
        if len(parts) == 1:
            return text == parts[0]
        if not text.startswith(parts[0]):
            return False
        rest = text[len(parts[0]):]
        return any(rest[end:].startswith(parts[1]) and fill(rest[:end], depth) and fits(rest[end:], parts[1:], depth)
                   for end in range(1, len(rest) + 1))

    def made(text, depth):
        return text in plain or any(fits(text, parts, depth) for parts in templates)

    return made(message, 1)


# ---------------------------------------------------------------------------------------------
# Files

def files_under(directory, suffixes, exclude=()):
    base = ROOT / directory
    if not base.is_dir():
        return []
    found = []
    for path in sorted(base.rglob("*")):
        if path.suffix in suffixes and path.is_file():
            relative = rel(path)
            if not any(re.search(pattern, relative) for pattern in exclude):
                found.append(path)
    return found


def load_json(path):
    path, text = read(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise SourceError(f"{rel(path)} is not JSON: {e}") from None


def fix_name(npm_name):
    """The Swift package and pod name the Capacitor CLI derives from an npm package name
    (cli/src/plugin.ts fixName): capacitor-juspay-customer -> CapacitorJuspayCustomer."""
    name = npm_name.replace("/", "_").replace("-", "_").replace("@", "")
    name = re.sub(r"_\w", lambda m: m.group(0)[1].upper(), name)
    return name[:1].upper() + name[1:]
