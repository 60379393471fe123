"""The cross-platform contract: what only a reading of several platforms' sources can check.

Run: python3 -m unittest discover -s scripts/contract   (scripts/test.d/50-contract.sh)

Sources of truth:
- the Rust core, for error codes, which are retryable, the keys of a rejection's data and of a
  customer, limits and defaults: rust-core/src/contract.rs writes them to
  rust-core/contract/core-contract.json and src-ts/generated/core-contract.ts, and the Rust
  stage fails when those are stale; TypeScript's compiler refuses definitions.ts types that
  differ from the generated file;
- TypeScript's definitions.ts for the plugin's methods and options, read from docgen's
  dist/docs.json (written by `npm run build`, in the TypeScript stage).

Checked elsewhere, so not here: that the committed bindings are what uniffi generates
(scripts/generate-bindings.sh --check, in the Rust stage; the last test below keeps it there),
and what each platform answers, word for word and key for key (the web, JVM and XCTest
harnesses run every shared vector and every case of src-ts/contract/plugin-calls.json and
compare whole objects).
"""

import re
import unittest

import sources as src
from sources import SourceError

KOTLIN_MAIN = "android/src/main"
SWIFT_PLUGIN_DIR = "ios/Sources/JuspayCustomerPlugin"
VECTORS_DIR = "rust-core/tests/vectors"
PLUGIN_CALLS = "src-ts/contract/plugin-calls.json"
# Each harness that runs the plugin-call cases: (folder, file suffix).
HARNESSES = {
    "the web harness (vitest)": ("src-ts/tests", ".ts"),
    "the JVM harness": ("android/jvm-tests/src/test", ".kt"),
    "the XCTest harness": ("ios/Tests", ".swift"),
}
# What the cases' server must do that the JSON only implies (its README: "{{server}}" in
# options, ids starting "slow-" answered late, "hang-" never).
SERVER_WORDS = {"{{server}}", "slow-", "hang-"}
# Hand-written code of the plugins and the web implementation, where no limit of the core may
# be retyped: (folder, suffixes, excluded paths).
HAND_WRITTEN = [
    ("src-ts", {".ts"}, (r"^src-ts/(generated|tests|tools)/", r"\.test\.ts$")),
    (KOTLIN_MAIN, {".kt", ".java"}, (r"/generated/",)),
    (SWIFT_PLUGIN_DIR, {".swift"}, ()),
]


def cached(function):
    """Each source read once; a missing one fails only the tests that need it."""
    results = {}

    def wrapper():
        if "value" not in results:
            try:
                results["value"] = ("ok", function())
            except SourceError as e:
                results["value"] = ("error", str(e))
        status, value = results["value"]
        if status == "error":
            raise AssertionError(value)
        return value

    return wrapper


@cached
def core():
    return src.load_json(src.CORE_CONTRACT, " (the Rust stage writes it: see rust-core/src/contract.rs)")


@cached
def docs():
    return src.load_json(src.DOCS_JSON, " (run `npm run build`, as the TypeScript stage does)")


def core_codes():
    return [c["code"] for c in core()["errorCodes"]]


def ts_keys(interface):
    return sorted(src.docs_interface_members(docs(), interface))


@cached
def ts_methods():
    members = src.docs_interface_members(docs(), "JuspayCustomerPlugin")
    properties = sorted(name for name, kind in members.items() if kind != "method")
    if properties:
        raise SourceError(f"JuspayCustomerPlugin has non-method members: {properties}")
    return sorted(members)


@cached
def kotlin_files():
    paths = src.files_under(KOTLIN_MAIN, {".kt", ".java"}, exclude=(r"/generated/",))
    if not paths:
        raise SourceError(f"{KOTLIN_MAIN} has no hand-written Kotlin")
    return {src.rel(p): p.read_text(encoding="utf-8") for p in paths}


@cached
def swift_files():
    paths = src.files_under(SWIFT_PLUGIN_DIR, {".swift"})
    if not paths:
        raise SourceError(f"{SWIFT_PLUGIN_DIR} has no Swift files")
    return {src.rel(p): p.read_text(encoding="utf-8") for p in paths}


def only(files, pattern, what):
    found = [(path, text) for path, text in files.items() if re.search(pattern, src.code_of(text))]
    if len(found) != 1:
        raise AssertionError(f"expected one file with {what}, found {[path for path, _ in found]}")
    return found[0]


@cached
def kotlin_plugin():
    path, text = only(kotlin_files(), r"@CapacitorPlugin\b", "@CapacitorPlugin")
    name, methods = src.kotlin_plugin(text)
    return {"file": path, "name": name, "methods": methods}


@cached
def swift_plugin():
    path, text = only(swift_files(), r"\bCAPBridgedPlugin\b", "a CAPBridgedPlugin class")
    return dict(src.swift_plugin(text), file=path)


@cached
def ts_registered_name():
    found = [(src.rel(p), name) for p in src.files_under("src-ts", {".ts"}, exclude=(r"^src-ts/tests/",))
             for name in src.ts_registered_names(p.read_text(encoding="utf-8"))]
    if len(found) != 1:
        raise SourceError(f"src-ts should call registerPlugin('<name>', ...) exactly once, found {found}")
    return found[0][1]


@cached
def vectors():
    paths = src.files_under(VECTORS_DIR, {".json"})
    if not paths:
        raise SourceError(f"{VECTORS_DIR} has no vectors")
    return {p.stem: src.load_json(src.rel(p)) for p in paths}


class MethodNames(unittest.TestCase):
    """TypeScript's JuspayCustomerPlugin methods are exactly the methods each native plugin
    registers; a name missing on one side is a call that fails only at run time."""

    def test_kotlin_plugin_methods_are_the_typescript_methods(self):
        plugin = kotlin_plugin()
        self.assertEqual(len(plugin["methods"]), len(set(plugin["methods"])),
                         f"duplicate @PluginMethod in {plugin['file']}")
        self.assertEqual(sorted(plugin["methods"]), ts_methods(),
                         f"@PluginMethod functions in {plugin['file']} vs JuspayCustomerPlugin in definitions.ts")

    def test_swift_plugin_methods_are_the_typescript_methods(self):
        plugin = swift_plugin()
        names = [name for name, _ in plugin["methods"]]
        self.assertEqual(len(names), len(set(names)), f"duplicate pluginMethods entry in {plugin['file']}")
        self.assertEqual(sorted(names), ts_methods(),
                         f"pluginMethods in {plugin['file']} vs JuspayCustomerPlugin in definitions.ts")

    def test_swift_plugin_methods_are_promises_with_an_objc_function_each(self):
        plugin = swift_plugin()
        not_promise = [name for name, kind in plugin["methods"] if kind != "CAPPluginReturnPromise"]
        self.assertEqual(not_promise, [], f"every TypeScript method returns a Promise ({plugin['file']})")
        # The bridge calls the selector `name:`; without a matching @objc func the call is lost.
        missing = sorted({name for name, _ in plugin["methods"]} - set(plugin["objc_funcs"]))
        self.assertEqual(missing, [], f"pluginMethods without `@objc func name(_ call: CAPPluginCall)` "
                                      f"in {plugin['file']}")


class PluginName(unittest.TestCase):
    """One name on the bridge: registerPlugin's, Kotlin's @CapacitorPlugin name, Swift's jsName."""

    def test_kotlin_name_is_the_registered_name(self):
        plugin = kotlin_plugin()
        self.assertEqual(plugin["name"], ts_registered_name(),
                         f"@CapacitorPlugin(name) in {plugin['file']} vs registerPlugin in src-ts")

    def test_swift_js_name_is_the_registered_name(self):
        plugin = swift_plugin()
        self.assertEqual(plugin["jsName"], ts_registered_name(), f"jsName in {plugin['file']} vs registerPlugin in src-ts")

    def test_swift_plugin_is_the_only_objc_named_class(self):
        # `npx cap sync` lists every @objc(Name) it finds under ios/ as a plugin class
        # (packageClassList); only the plugin may have one, and it must name the identifier.
        plugin = swift_plugin()
        self.assertEqual(plugin["objc_name"], plugin["class"], f"@objc(Name) of the plugin in {plugin['file']}")
        self.assertEqual(plugin["identifier"], plugin["class"], f"identifier in {plugin['file']}")
        named = {}
        for path in src.files_under("ios", {".swift", ".m"}):
            for name in re.findall(r"@objc\(\s*([A-Za-z0-9_-]+)\s*\)", src.code_of(path.read_text(encoding="utf-8"))):
                named.setdefault(name, []).append(src.rel(path))
        self.assertEqual(sorted(named), [plugin["class"]], f"@objc(Name) classes under ios/: {named}")


class OneVocabulary(unittest.TestCase):
    """The core's codes, keys and limits, and no second spelling of them."""

    def test_typescript_keys_are_the_core_keys(self):
        # The compiler already refuses a mismatch (the `satisfies` clauses of
        # src-ts/generated/core-contract.ts, which also cover CustomerErrorCode and
        # CustomerErrorData, types docgen leaves out); this names the side that is wrong when
        # the generated file was edited by hand.
        for interface, key in [("Customer", "customerKeys"), ("JuspayClientAuth", "clientAuthKeys")]:
            self.assertEqual(ts_keys(interface), sorted(core()[key]),
                             f"{interface} in definitions.ts vs {key} in {src.CORE_CONTRACT}")

    def _no_code_literals(self, files, side):
        codes = set(core_codes())
        found = sorted({(path, value) for path, text in files.items() for value in src.literals(text) if value in codes})
        self.assertEqual(found, [], f"{side} spells error codes itself; make the rejection from the core's "
                                    f"error (CustomerException / CustomerError) so its code is the core's")

    def test_kotlin_adapter_spells_no_code(self):
        self._no_code_literals(kotlin_files(), "the Kotlin adapter")

    def test_swift_adapter_spells_no_code(self):
        self._no_code_literals(swift_files(), "the Swift adapter")

    def test_no_hand_written_code_retypes_a_core_limit(self):
        numbers = {}
        for name, value in core()["constants"].items():
            if isinstance(value, int) and value >= 1000:  # small ones (10, 300) are too common to police
                numbers[value] = name
        found = []
        for folder, suffixes, exclude in HAND_WRITTEN:
            for path in src.files_under(folder, suffixes, exclude):
                code = src.code_of(path.read_text(encoding="utf-8"))
                for match in re.finditer(r"(?<![\w.])(\d[\d_]*)(?![\w.])", code):
                    value = int(match.group(1).replace("_", ""))
                    if value in numbers:
                        found.append(f"{src.rel(path)}: {match.group(1)} ({numbers[value]})")
                for match in re.finditer(r"\b64\s*\*\s*1024\b", code):
                    found.append(f"{src.rel(path)}: {match.group(0)} (maxBodyBytes)")
        self.assertEqual(found, [], f"limits of the core retyped by hand; read them from the core "
                                    f"(coreConstants() in the bindings, src-ts/generated/core-contract.ts)")

    def test_vectors_use_the_core_codes_and_keys(self):
        codes, data_keys = set(core_codes()), sorted(core()["errorDataKeys"])
        customer_keys, auth_keys = sorted(core()["customerKeys"]), sorted(core()["clientAuthKeys"])
        bad = []
        for name, vector in vectors().items():
            expect = vector["expect"]
            if "error" in expect:
                if expect["error"]["code"] not in codes:
                    bad.append(f"{name}: code {expect['error']['code']}")
                if sorted(expect["error"]["data"]) != data_keys:
                    bad.append(f"{name}: error data keys {sorted(expect['error']['data'])}")
            if "customer" in expect:
                # The vectors' README: a customer may leave `juspay` out, meaning null.
                if sorted(set(expect["customer"]) | {"juspay"}) != customer_keys:
                    bad.append(f"{name}: customer keys {sorted(expect['customer'])}")
                juspay = expect["customer"].get("juspay")
                if isinstance(juspay, dict) and sorted(juspay) != auth_keys:
                    bad.append(f"{name}: juspay keys {sorted(juspay)}")
        self.assertEqual(bad, [], f"vectors in {VECTORS_DIR} vs {src.CORE_CONTRACT}")


class OptionNames(unittest.TestCase):
    """Every option of the plugin's calls is read by its TypeScript name on Android and iOS."""

    INTERFACES = ["ConfigureOptions", "SetTokenOptions", "GetCustomerOptions", "CancelOptions"]

    def _check(self, files, side):
        read = {value for text in files.values() for value in src.literals(text)}
        for interface in self.INTERFACES:
            missing = [key for key in ts_keys(interface) if key not in read]
            self.assertEqual(missing, [], f"{side} never reads these {interface} keys of definitions.ts")

    def test_kotlin_adapter_reads_every_option(self):
        self._check(kotlin_files(), "the Kotlin adapter")

    def test_swift_adapter_reads_every_option(self):
        self._check(swift_files(), "the Swift adapter")

    def test_vectors_options_are_getcustomer_options(self):
        keys = set(ts_keys("GetCustomerOptions"))
        bad = {name: sorted(set(v["options"]) - keys) for name, v in vectors().items()
               if set(v.get("options", {})) - keys}
        self.assertEqual(bad, {}, "vector options that GetCustomerOptions in definitions.ts does not have")


class PluginCallCases(unittest.TestCase):
    """src-ts/contract/plugin-calls.json is the one statement of how every call answers, and all
    three harnesses run it."""

    @staticmethod
    def format_words():
        """Every key of the file's format and the one string outcome, not the options inside."""
        file = src.load_json(PLUGIN_CALLS)
        words = {key for key in file if not key.startswith("$")} | {"resolve"}  # "$comment"
        for case in file["cases"]:
            words |= set(case)
            for step in case["calls"]:
                words |= set(step)
                if isinstance(step.get("expect"), dict):
                    words |= set(step["expect"])
        return words

    def test_every_harness_reads_the_file_and_knows_its_format(self):
        words = self.format_words() | SERVER_WORDS
        for side, (folder, suffix) in HARNESSES.items():
            texts = [p.read_text(encoding="utf-8") for p in src.files_under(folder, {suffix})]
            self.assertTrue(texts, f"{side}: no {suffix} files under {folder}")
            # TypeScript quotes with ' and reads JSON keys as properties (`step.expect`).
            code = " ".join(src.code_of(text) for text in texts)
            found = set(re.findall(r"[\"'`]([^\"'`\n]*)[\"'`]", code)) | set(re.findall(r"\.\s*(\w+)", code))
            self.assertTrue(any(value.endswith("contract/plugin-calls.json") for value in found),
                            f"{side} ({folder}) never names {PLUGIN_CALLS}")
            missing = sorted(word for word in words if word not in found)
            self.assertEqual(missing, [], f"{side} ({folder}) never mentions these words of {PLUGIN_CALLS}'s format")


class Packaging(unittest.TestCase):
    """What `npx cap sync` and the package managers read agrees with package.json."""

    @staticmethod
    def package_swift():
        text = src.read("Package.swift")
        code = src.code_of(text)

        def one(pattern, what):
            m = re.search(pattern, code)
            if not m:
                raise AssertionError(f"cannot find {what} in Package.swift")
            return m.group(1)

        # Paths held in a constant that a FileManager.fileExists(atPath:) check reads.
        checked = " ".join(re.findall(r"fileExists\s*\(([^\n]*)", code))
        guarded = [value for name, value in re.findall(r'\blet\s+(\w+)\s*=\s*"([^"]*)"', code)
                   if re.search(r"\b" + name + r"\b", checked)]
        return {
            "name": one(r'\bPackage\s*\(\s*name\s*:\s*"([^"]*)"', "Package(name:)"),
            "products": re.findall(r'\.library\s*\(\s*name\s*:\s*"([^"]*)"', code),
            "binary": one(r'\.binaryTarget\s*\(\s*name\s*:\s*"[^"]*"\s*,\s*path\s*:\s*"([^"]*)"',
                          ".binaryTarget(name:path:)"),
            "ios": one(r"\.iOS\s*\(\s*\.v(\d+)\s*\)", "platforms: [.iOS(.vN)]"),
            "ios_literals": [v for v in src.literals(text) if v.startswith("ios/")],
            "guarded": guarded,
        }

    @staticmethod
    def podspec(name):
        text = src.read(f"{name}.podspec")
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))

        def value(key):
            m = re.search(r"\.\s*" + key + r"\s*=\s*['\"]([^'\"]+)['\"]", code)
            if not m:
                raise AssertionError(f"{name}.podspec sets no {key}")
            return m.group(1)

        return {key: value(key) for key in ("name", "vendored_frameworks", "deployment_target")}

    @staticmethod
    def package_json():
        return src.load_json("package.json")

    def test_spm_and_pod_names_are_what_cap_sync_derives(self):
        expected = src.fix_name(self.package_json()["name"])
        swift = self.package_swift()
        self.assertEqual(swift["name"], expected, "Package.swift name vs the npm name as the Capacitor CLI fixes it")
        self.assertIn(expected, swift["products"], "Package.swift must offer the library cap sync links")
        self.assertEqual(self.podspec(expected)["name"], expected, f"{expected}.podspec s.name")

    def test_native_files_are_published(self):
        package = self.package_json()
        files = set(package.get("files", []))
        name = src.fix_name(package["name"])
        needed = {"Package.swift", f"{name}.podspec", "ios/Sources", "ios/Frameworks",
                  "android/src/main/", "android/build.gradle"}
        self.assertEqual(sorted(needed - files), [], "package.json `files` lacks native parts")
        self.assertEqual(package.get("capacitor"), {"ios": {"src": "ios"}, "android": {"src": "android"}},
                         "package.json `capacitor` tells the CLI where the native code lives")
        # SwiftPM rejects a package whose target paths are missing, even a dependency's test
        # target: every path must ship in the npm package, or be declared only when present.
        swift = self.package_swift()
        for path in swift["ios_literals"]:
            published = any(path == f.rstrip("/") or path.startswith(f.rstrip("/") + "/") for f in files)
            self.assertTrue(published or path in swift["guarded"],
                            f"Package.swift path {path} is neither published by package.json `files` "
                            f"nor declared only if FileManager finds it")

    def test_xcframework_path_and_ios_version_agree(self):
        swift = self.package_swift()
        pod = self.podspec(swift["name"])
        self.assertEqual(pod["vendored_frameworks"], swift["binary"], "podspec vendored_frameworks vs Package.swift")
        self.assertIn(swift["binary"], src.read("scripts/build-xcframework.sh"),
                      "scripts/build-xcframework.sh must write the xcframework Package.swift uses")
        self.assertEqual(pod["deployment_target"], f"{swift['ios']}.0", "podspec deployment_target vs Package.swift")


class GeneratedFiles(unittest.TestCase):
    def test_bindings_and_contract_freshness_are_checked_by_the_rust_stage(self):
        stages = {src.rel(p): p.read_text() for p in src.files_under("scripts/test.d", {".sh"})}
        bindings = [path for path, text in stages.items()
                    if re.search(r"^[^#\n]*generate-bindings\.sh\s+--check\b", text, re.M)]
        self.assertTrue(bindings, "no stage in scripts/test.d runs scripts/generate-bindings.sh --check, "
                                  "so nothing proves the committed bindings are current")
        # rust-core/src/contract.rs is a unit test of the core: any `cargo test` of the workspace runs it.
        tests = [path for path, text in stages.items()
                 if re.search(r"^[^#\n]*cargo test\b[^\n]*--workspace", text, re.M)]
        self.assertTrue(tests, "no stage runs `cargo test --workspace`, so nothing proves "
                               f"{src.CORE_CONTRACT} is current")


if __name__ == "__main__":
    unittest.main()
