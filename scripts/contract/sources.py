"""Reads what the contract test compares. Most facts need no parsing: the core writes them to
rust-core/contract/core-contract.json, and docgen writes the TypeScript API to dist/docs.json.
What is left is read from hand-written Kotlin and Swift with comments removed, so a name in a
comment never counts, and with string literals taken as written (no interpolation in the names
and option keys checked here).
"""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CORE_CONTRACT = "rust-core/contract/core-contract.json"
DOCS_JSON = "dist/docs.json"


class SourceError(Exception):
    """A source is missing or cannot be read the way the contract expects."""


def rel(path):
    try:
        return str(Path(path).relative_to(ROOT))
    except ValueError:
        return str(path)


def read(path):
    path = ROOT / path
    if not path.is_file():
        raise SourceError(f"{rel(path)} is missing")
    return path.read_text(encoding="utf-8")


def load_json(path, hint=""):
    try:
        return json.loads(read(path))
    except json.JSONDecodeError as e:
        raise SourceError(f"{path} is not JSON: {e}") from e
    except SourceError as e:
        raise SourceError(f"{e}{hint}") from e


def files_under(directory, suffixes, exclude=()):
    base = ROOT / directory
    if not base.is_dir():
        raise SourceError(f"{directory}/ is missing")
    return sorted(p for p in base.rglob("*") if p.is_file() and p.suffix in suffixes
                  and not any(re.search(x, rel(p)) for x in exclude))


# A string literal ("..." with escapes) or a comment; comments become spaces, strings stay.
_TOKEN = re.compile(r'"(?:\\.|[^"\\\n])*"|//[^\n]*|/\*.*?\*/', re.S)


def code_of(text):
    """The text with `//` and `/* */` comments blanked (line count kept)."""
    return _TOKEN.sub(lambda m: m.group(0) if m.group(0).startswith('"')
                      else re.sub(r"[^\n]", " ", m.group(0)), text)


def literals(text):
    """The string literals of comment-free code, unescaped only for `\\"` and `\\\\`."""
    return [re.sub(r'\\(["\\])', r"\1", m[1:-1]) for m in re.findall(r'"(?:\\.|[^"\\\n])*"', code_of(text))]


# -------------------------------------------------------------------------------------------
# TypeScript, as docgen wrote it


def docs_interface_members(docs, name):
    """{member: "method" | "property"} of interface `name` (or the plugin's API)."""
    if docs["api"] and docs["api"]["name"] == name:
        found = docs["api"]
    else:
        found = next((i for i in docs["interfaces"] if i["name"] == name), None)
    if found is None:
        raise SourceError(f"{DOCS_JSON} has no interface {name}")
    members = {m["name"]: "method" for m in found.get("methods", [])}
    members.update({p["name"]: "property" for p in found.get("properties", [])})
    return members


def ts_registered_names(text):
    return re.findall(r"\bregisterPlugin\s*(?:<[^>]*>)?\s*\(\s*'([^']*)'", text)


# -------------------------------------------------------------------------------------------
# Kotlin (Android plugin)


def kotlin_plugin(text):
    """(the @CapacitorPlugin name, [the @PluginMethod function names])."""
    code = code_of(text)
    names = re.findall(r'@CapacitorPlugin\s*\(\s*(?:[^)]*?\bname\s*=\s*)"([^"]*)"', code)
    if len(names) != 1:
        raise SourceError(f"expected one @CapacitorPlugin(name = \"...\"), found {names}")
    methods = re.findall(r"@PluginMethod\b(?:\s*\([^)]*\))?\s+(?:(?:public|override)\s+)*fun\s+(\w+)\s*\(", code)
    return names[0], methods


# -------------------------------------------------------------------------------------------
# Swift (iOS plugin)


def swift_plugin(text):
    code = code_of(text)

    def one(pattern, what):
        found = re.findall(pattern, code)
        if len(found) != 1:
            raise SourceError(f"expected one {what}, found {found}")
        return found[0]

    objc_name, class_name = one(r"@objc\(\s*(\w+)\s*\)\s*(?:public\s+|open\s+|final\s+)*class\s+(\w+)\s*:[^{]*"
                                r"\bCAPBridgedPlugin\b", "@objc(Name) class ...: CAPBridgedPlugin")
    return {
        "objc_name": objc_name,
        "class": class_name,
        "identifier": one(r'\blet\s+identifier\s*=\s*"([^"]*)"', "let identifier"),
        "jsName": one(r'\blet\s+jsName\s*=\s*"([^"]*)"', "let jsName"),
        "methods": re.findall(r'CAPPluginMethod\s*\(\s*name\s*:\s*"([^"]*)"\s*,\s*returnType\s*:\s*(\w+)\s*\)', code),
        "objc_funcs": re.findall(r"@objc\s+(?:public\s+)?func\s+(\w+)\s*\(\s*_\s+\w+\s*:\s*CAPPluginCall\s*\)", code),
    }


def fix_name(npm_name):
    """The Swift package and pod name the Capacitor CLI derives from an npm package name
    (cli/src/plugin.ts fixName): capacitor-juspay-customer -> CapacitorJuspayCustomer."""
    name = npm_name.replace("/", "_").replace("-", "_").replace("@", "")
    name = re.sub(r"_\w", lambda m: m.group(0)[1].upper(), name)
    return name[:1].upper() + name[1:]
