"""The cross-platform contract: the TypeScript API, the Kotlin and Swift plugins, the Rust core,
the generated bindings, the shared vectors and the packaging must name things the same way.
Each test reads the real sources and fails, naming the files, when two of them disagree.

Run: python3 -m unittest discover -s scripts/contract   (scripts/test.d/50-contract.sh)

Sources of truth: method names and object shapes are TypeScript's (src-ts/definitions.ts, the
API's single source); error codes are the Rust core's (ERROR_CODES in rust-core/src/error.rs).
Whether the committed bindings match what uniffi generates now is not re-checked here:
scripts/generate-bindings.sh --check does that in scripts/test.d/10-rust.sh, and
test_bindings_freshness_is_checked_by_the_rust_stage makes sure it stays there.
"""

import re
import unittest

import sources as src
from sources import SourceError

DEFINITIONS = "src-ts/definitions.ts"
RUST_ERROR = "rust-core/src/error.rs"
RUST_CUSTOMER = "rust-core/src/customer.rs"
SWIFT_PLUGIN_DIR = "ios/Sources/JuspayCustomerPlugin"
SWIFT_GENERATED = "ios/Sources/JuspayCustomerCore/Generated/JuspayCustomerCore.swift"
KOTLIN_GENERATED_DIR = "android/src/main/generated"
VECTORS_DIR = "rust-core/tests/vectors"

# What every plugin call answers, on every platform (format: src-ts/contract/README.md).
PLUGIN_CALLS = "src-ts/contract/plugin-calls.json"
# Each harness that runs it: (folder, file suffix, language). A string literal naming the file
# must appear in each, and so must every word of the file's format.
HARNESSES = {
    "the web harness (vitest)": ("src-ts/tests", ".ts", "ts"),
    "the JVM harness": ("android/jvm-tests/src/test", ".kt", "kotlin"),
    "the XCTest harness": ("ios/Tests", ".swift", "swift"),
}
# What the cases' server must do that the JSON only implies (README: "{{server}}" in options,
# ids starting "slow-" answered late, "hang-" never).
SERVER_WORDS = {"{{server}}", "slow-", "hang-"}
RUST_SRC = "rust-core/src"

# CustomerErrorData follows the core's ErrorDetails field by field (camelCase), except these.
DATA_KEY_FOR_DETAIL = {"message": None, "http_status": "status"}  # message is the error's own
DATA_KEYS_NOT_IN_DETAILS = {"retryable"}  # CustomerError.is_retryable()


def lex_all(paths, lang):
    return [src.lex(path, lang) for path in paths]


def describe(found):
    return "; ".join(f"{value!r} in {', '.join(sorted(set(files)))}" for value, files in sorted(found.items()))


class Sources:
    """Each source parsed once, on first use; a missing file fails only the tests that need it."""

    _cache = {}

    @classmethod
    def get(cls, key, load):
        if key not in cls._cache:
            try:
                cls._cache[key] = ("ok", load())
            except SourceError as e:
                cls._cache[key] = ("error", str(e))
        status, value = cls._cache[key]
        if status == "error":
            raise AssertionError(value)
        return value

    # TypeScript -------------------------------------------------------------------------------
    @classmethod
    def definitions(cls):
        return cls.get("definitions", lambda: src.lex(DEFINITIONS, "ts"))

    @classmethod
    def ts_methods(cls):
        def load():
            members = src.ts_interface_members(cls.definitions(), "JuspayCustomerPlugin")
            properties = sorted(name for name, kind in members.items() if kind != "method")
            if properties:
                raise SourceError(f"JuspayCustomerPlugin in {DEFINITIONS} has non-method members: {properties}")
            return sorted(members)
        return cls.get("ts_methods", load)

    @classmethod
    def ts_keys(cls, interface):
        return cls.get(f"ts_keys:{interface}",
                       lambda: sorted(src.ts_interface_members(cls.definitions(), interface)))

    @classmethod
    def ts_codes(cls):
        return cls.get("ts_codes", lambda: src.ts_string_union(cls.definitions(), "CustomerErrorCode"))

    @classmethod
    def ts_registered_name(cls):
        def load():
            calls = [(lexed.where(), name) for lexed in cls.web() for name in src.ts_register_plugin_names(lexed)]
            if len(calls) != 1:
                raise SourceError(f"src-ts should call registerPlugin('<name>', ...) exactly once, found {calls}")
            return calls[0][1]
        return cls.get("ts_registered_name", load)

    @classmethod
    def web(cls):
        """The TypeScript that runs: registration, web implementation, client; not its tests."""
        def load():
            paths = src.files_under("src-ts", {".ts"}, exclude=(
                r"definitions\.ts$", r"\.(test|spec)\.ts$", r"/__tests__/", r"^src-ts/(tests?|tools)/"))
            if not paths:
                raise SourceError("src-ts has no web implementation files yet")
            return lex_all(paths, "ts")
        return cls.get("web", load)

    # Rust core --------------------------------------------------------------------------------
    @classmethod
    def rust_error(cls):
        return cls.get("rust_error", lambda: src.lex(RUST_ERROR, "rust"))

    @classmethod
    def rust_codes(cls):
        return cls.get("rust_codes", lambda: src.rust_error_codes(cls.rust_error()))

    # Android ----------------------------------------------------------------------------------
    @classmethod
    def kotlin(cls):
        """Every hand-written Kotlin (or Java) file of the Android library."""
        def load():
            paths = src.files_under("android/src/main", {".kt", ".java"}, exclude=(r"/generated/",))
            if not paths:
                raise SourceError("android/src/main has no hand-written Kotlin yet")
            return [src.lex(path, "java" if path.suffix == ".java" else "kotlin") for path in paths]
        return cls.get("kotlin", load)

    @classmethod
    def kotlin_plugin(cls):
        """The one class the Capacitor CLI registers: the file with @CapacitorPlugin."""
        def load():
            plugins = [lexed for lexed in cls.kotlin() if re.search(r"@CapacitorPlugin\b", lexed.code)]
            if len(plugins) != 1:
                raise SourceError(f"expected one @CapacitorPlugin class under android/src/main, found "
                                  f"{[p.where() for p in plugins]}")
            name, _ = src.capacitor_plugin(plugins[0])
            return {"file": plugins[0].where(), "name": name, "methods": src.plugin_methods(plugins[0])}
        return cls.get("kotlin_plugin", load)

    # iOS --------------------------------------------------------------------------------------
    @classmethod
    def swift(cls):
        """Every hand-written Swift file of the iOS plugin target."""
        def load():
            paths = src.files_under(SWIFT_PLUGIN_DIR, {".swift"})
            if not paths:
                raise SourceError(f"{SWIFT_PLUGIN_DIR} has no Swift files")
            return lex_all(paths, "swift")
        return cls.get("swift", load)

    @classmethod
    def swift_plugin(cls):
        def load():
            found = []
            for lexed in cls.swift():
                if re.search(r"\bCAPBridgedPlugin\b", lexed.code):
                    found.append(dict(src.swift_bridged_plugin(lexed), file=lexed.where()))
            if len(found) != 1:
                raise SourceError(f"expected one CAPBridgedPlugin class in {SWIFT_PLUGIN_DIR}, found {len(found)}")
            return found[0]
        return cls.get("swift_plugin", load)

    @classmethod
    def swift_generated(cls):
        return cls.get("swift_generated", lambda: src.lex(SWIFT_GENERATED, "swift"))

    # Vectors ----------------------------------------------------------------------------------
    @classmethod
    def vectors(cls):
        def load():
            paths = src.files_under(VECTORS_DIR, {".json"})
            if not paths:
                raise SourceError(f"{VECTORS_DIR} has no vectors")
            return {path.stem: src.load_json(path) for path in paths}
        return cls.get("vectors", load)


class MethodNames(unittest.TestCase):
    """TypeScript's JuspayCustomerPlugin methods are exactly the methods each native plugin
    registers; a name missing on one side is a call that fails only at run time."""

    def test_kotlin_plugin_methods_are_the_typescript_methods(self):
        plugin = Sources.kotlin_plugin()
        self.assertEqual(len(plugin["methods"]), len(set(plugin["methods"])),
                         f"duplicate @PluginMethod in {plugin['file']}")
        self.assertEqual(sorted(plugin["methods"]), Sources.ts_methods(),
                         f"@PluginMethod functions in {plugin['file']} vs JuspayCustomerPlugin in {DEFINITIONS}")

    def test_swift_plugin_methods_are_the_typescript_methods(self):
        plugin = Sources.swift_plugin()
        names = [name for name, _ in plugin["methods"]]
        self.assertEqual(len(names), len(set(names)), f"duplicate pluginMethods entry in {plugin['file']}")
        self.assertEqual(sorted(names), Sources.ts_methods(),
                         f"pluginMethods in {plugin['file']} vs JuspayCustomerPlugin in {DEFINITIONS}")

    def test_swift_plugin_methods_are_promises_with_an_objc_function_each(self):
        plugin = Sources.swift_plugin()
        not_promise = [name for name, kind in plugin["methods"] if kind != "CAPPluginReturnPromise"]
        self.assertEqual(not_promise, [], f"every TypeScript method returns a Promise ({plugin['file']})")
        # The bridge calls the selector `name:`; without a matching @objc func the call is lost.
        missing = sorted({name for name, _ in plugin["methods"]} - set(plugin["objc_funcs"]))
        self.assertEqual(missing, [], f"pluginMethods without `@objc func name(_ call: CAPPluginCall)` "
                                      f"in {plugin['file']}")


class PluginName(unittest.TestCase):
    """One name on the bridge: registerPlugin's, Kotlin's @CapacitorPlugin name, Swift's jsName."""

    def test_kotlin_name_is_the_registered_name(self):
        plugin = Sources.kotlin_plugin()
        self.assertEqual(plugin["name"], Sources.ts_registered_name(),
                         f"@CapacitorPlugin(name) in {plugin['file']} vs registerPlugin in src-ts")

    def test_swift_js_name_is_the_registered_name(self):
        plugin = Sources.swift_plugin()
        self.assertEqual(plugin["jsName"], Sources.ts_registered_name(),
                         f"jsName in {plugin['file']} vs registerPlugin in src-ts")

    def test_swift_plugin_is_the_only_objc_named_class(self):
        # `npx cap sync` lists every @objc(Name) it finds under ios/ as a plugin class
        # (packageClassList); only the plugin may have one, and it must name the identifier.
        plugin = Sources.swift_plugin()
        self.assertEqual(plugin["objc_name"], plugin["class"], f"@objc(Name) of the plugin in {plugin['file']}")
        self.assertEqual(plugin["identifier"], plugin["class"], f"identifier in {plugin['file']}")
        named = {}
        for path in src.files_under("ios", {".swift", ".m"}):
            for name in re.findall(r"@objc\(\s*([A-Za-z0-9_-]+)\s*\)", src.lex(path, "swift").code):
                named.setdefault(name, []).append(src.rel(path))
        self.assertEqual(sorted(named), [plugin["class"]], f"@objc(Name) classes under ios/: {named}")


class ErrorCodes(unittest.TestCase):
    """The Rust core's ERROR_CODES are the codes every layer uses."""

    def test_rust_error_codes_are_the_variants_codes(self):
        lexed = Sources.rust_error()
        codes = Sources.rust_codes()
        variants = src.rust_enum_variants(lexed, "CustomerError")
        arms = src.rust_code_arms(lexed)
        self.assertEqual(len(codes), len(set(codes)), f"duplicate code in ERROR_CODES ({RUST_ERROR})")
        self.assertEqual(sorted(arms), sorted(variants), f"code_str arms vs CustomerError variants ({RUST_ERROR})")
        self.assertEqual([arms[v] for v in variants], codes,
                         f"ERROR_CODES vs code_str, in variant order ({RUST_ERROR})")
        # The generated bindings' case names are the variants; codes follow them mechanically.
        self.assertEqual([src.camel_to_screaming(v) for v in variants], codes,
                         f"each variant's code is its name in SCREAMING_SNAKE_CASE ({RUST_ERROR})")

    def test_typescript_union_is_the_rust_codes(self):
        ts = Sources.ts_codes()
        self.assertEqual(len(ts), len(set(ts)), f"duplicate member in CustomerErrorCode ({DEFINITIONS})")
        self.assertEqual(ts, Sources.rust_codes(), f"CustomerErrorCode in {DEFINITIONS} vs ERROR_CODES in {RUST_ERROR}")

    def _check_adapter(self, lexed_files, side):
        rust = set(Sources.rust_codes())
        literals = src.code_like_literals(lexed_files, rust)
        unknown = {value: files for value, files in literals.items() if value not in rust}
        self.assertEqual(unknown, {}, f"{side} uses codes the core does not have: {describe(unknown)}")
        emitted = set(literals)
        if src.delegates_codes_to_core(lexed_files):
            emitted |= rust  # it passes CustomerError.code() through
        self.assertEqual(sorted(emitted), sorted(rust),
                         f"{side} can reject with (literals, plus every core code if it passes code() "
                         f"through) vs ERROR_CODES in {RUST_ERROR}")

    def test_kotlin_adapter_codes_are_the_rust_codes(self):
        self._check_adapter(Sources.kotlin(), "the Kotlin adapter (android/src/main)")

    def test_swift_adapter_codes_are_the_rust_codes(self):
        self._check_adapter(Sources.swift(), f"the Swift adapter ({SWIFT_PLUGIN_DIR})")

    def test_generated_bindings_have_a_case_per_code(self):
        variants = src.rust_enum_variants(Sources.rust_error(), "CustomerError")
        swift = src.swift_enum_cases(Sources.swift_generated(), "CustomerError")
        self.assertEqual(swift, variants, f"CustomerError cases in {SWIFT_GENERATED} vs {RUST_ERROR}")
        kotlin_files = src.files_under(KOTLIN_GENERATED_DIR, {".kt"})
        self.assertTrue(kotlin_files, f"no generated Kotlin under {KOTLIN_GENERATED_DIR}")
        for path in kotlin_files:
            lexed = src.lex(path, "kotlin")
            body, _ = src.body_after(lexed.code, r"\bsealed\s+class\s+CustomerException\b[^{]*\{",
                                     f"CustomerException in {lexed.where()}")
            cases = re.findall(r"\bclass\s+(" + src.IDENT + r")\s*\(", src.depth0(body))
            # uniffi's Kotlin renames a trailing "Error" to "Exception" (ServerError -> ServerException).
            kotlin_names = [re.sub(r"Error$", "Exception", v) for v in variants]
            self.assertEqual(cases, kotlin_names, f"CustomerException subclasses in {lexed.where()} vs {RUST_ERROR}")

    def test_vectors_expect_only_rust_codes(self):
        rust = set(Sources.rust_codes())
        bad = {name: v["expect"]["error"]["code"] for name, v in Sources.vectors().items()
               if "error" in v["expect"] and v["expect"]["error"]["code"] not in rust}
        self.assertEqual(bad, {}, f"vectors in {VECTORS_DIR} expecting codes the core does not have")


class ErrorData(unittest.TestCase):
    """A rejection's `data` has exactly the keys of TypeScript's CustomerErrorData everywhere."""

    def test_typescript_data_keys_follow_the_core_error_details(self):
        fields = src.rust_struct_fields(Sources.rust_error(), "ErrorDetails")
        from_core = {DATA_KEY_FOR_DETAIL.get(f, src.snake_to_camel(f)) for f in fields} - {None}
        self.assertEqual(sorted(from_core | DATA_KEYS_NOT_IN_DETAILS), Sources.ts_keys("CustomerErrorData"),
                         f"CustomerErrorData in {DEFINITIONS} vs ErrorDetails in {RUST_ERROR}")

    def _check_side(self, lexed_files, lang, side):
        expected = Sources.ts_keys("CustomerErrorData")
        groups = src.object_key_groups(lexed_files, lang)
        shaped = src.objects_shaped_like(groups, expected, [Sources.ts_keys("Customer")])
        self.assertTrue(shaped, f"{side}: no object with CustomerErrorData's keys ({expected}) found")
        for where, missing, extra in shaped:
            self.assertEqual((missing, extra), ([], []),
                             f"{where} builds error data lacking {missing} / with unknown keys {extra}; "
                             f"CustomerErrorData in {DEFINITIONS} has {expected}")

    def test_kotlin_adapter_emits_the_typescript_data_keys(self):
        self._check_side(Sources.kotlin(), "kotlin", "the Kotlin adapter")

    def test_swift_adapter_emits_the_typescript_data_keys(self):
        self._check_side(Sources.swift(), "swift", "the Swift adapter")

    def test_vectors_expect_the_typescript_data_keys(self):
        expected = Sources.ts_keys("CustomerErrorData")
        bad = {name: sorted(v["expect"]["error"]["data"]) for name, v in Sources.vectors().items()
               if "error" in v["expect"] and sorted(v["expect"]["error"]["data"]) != expected}
        self.assertEqual(bad, {}, f"vectors whose error data keys differ from CustomerErrorData {expected}")


class CustomerShape(unittest.TestCase):
    """The customer object has exactly TypeScript's Customer keys, which are the core's fields."""

    def test_typescript_customer_keys_are_the_core_fields(self):
        fields = src.rust_struct_fields(src.lex(RUST_CUSTOMER, "rust"), "Customer")
        self.assertEqual(sorted(map(src.snake_to_camel, fields)), Sources.ts_keys("Customer"),
                         f"Customer in {DEFINITIONS} vs Customer in {RUST_CUSTOMER}")
        generated = src.swift_struct_vars(Sources.swift_generated(), "Customer")
        self.assertEqual(generated, list(map(src.snake_to_camel, fields)),
                         f"Customer in {SWIFT_GENERATED} vs {RUST_CUSTOMER}")

    def test_typescript_client_auth_keys_are_the_core_fields(self):
        fields = src.rust_struct_fields(src.lex(RUST_CUSTOMER, "rust"), "JuspayClientAuth")
        self.assertEqual(sorted(map(src.snake_to_camel, fields)), Sources.ts_keys("JuspayClientAuth"),
                         f"JuspayClientAuth in {DEFINITIONS} vs JuspayClientAuth in {RUST_CUSTOMER}")
        generated = src.swift_struct_vars(Sources.swift_generated(), "JuspayClientAuth")
        self.assertEqual(generated, list(map(src.snake_to_camel, fields)),
                         f"JuspayClientAuth in {SWIFT_GENERATED} vs {RUST_CUSTOMER}")

    def _check_side(self, lexed_files, lang, side, interface="Customer"):
        expected = Sources.ts_keys(interface)
        groups = src.object_key_groups(lexed_files, lang)
        shaped = src.objects_shaped_like(groups, expected, [Sources.ts_keys("CustomerErrorData")])
        self.assertTrue(shaped, f"{side}: no object with {interface}'s keys ({expected}) found")
        for where, missing, extra in shaped:
            self.assertEqual((missing, extra), ([], []),
                             f"{where} builds a {interface} lacking {missing} / with unknown keys {extra}")

    def test_kotlin_adapter_emits_the_typescript_customer_keys(self):
        self._check_side(Sources.kotlin(), "kotlin", "the Kotlin adapter")
        self._check_side(Sources.kotlin(), "kotlin", "the Kotlin adapter", "JuspayClientAuth")

    def test_swift_adapter_emits_the_typescript_customer_keys(self):
        self._check_side(Sources.swift(), "swift", "the Swift adapter")
        self._check_side(Sources.swift(), "swift", "the Swift adapter", "JuspayClientAuth")

    def test_vectors_expect_the_typescript_customer_keys(self):
        # The vectors' README: a customer may leave `juspay` out, meaning null.
        expected = Sources.ts_keys("Customer")
        bad = {name: sorted(v["expect"]["customer"]) for name, v in Sources.vectors().items()
               if "customer" in v["expect"] and sorted(set(v["expect"]["customer"]) | {"juspay"}) != expected}
        self.assertEqual(bad, {}, f"vectors whose customer keys differ from Customer {expected}")
        auth = Sources.ts_keys("JuspayClientAuth")
        bad = {name: sorted(v["expect"]["customer"]["juspay"]) for name, v in Sources.vectors().items()
               if isinstance(v["expect"].get("customer", {}).get("juspay"), dict)
               and sorted(v["expect"]["customer"]["juspay"]) != auth}
        self.assertEqual(bad, {}, f"vectors whose juspay keys differ from JuspayClientAuth {auth}")


class OptionNames(unittest.TestCase):
    """Every option of the plugin's calls is read by its TypeScript name on Android and iOS."""

    INTERFACES = ["ConfigureOptions", "SetTokenOptions", "GetCustomerOptions", "CancelOptions"]

    def _check(self, lexed_files, side):
        literals = {value for lexed in lexed_files for value in lexed.values()}
        for interface in self.INTERFACES:
            missing = [key for key in Sources.ts_keys(interface) if key not in literals]
            self.assertEqual(missing, [], f"{side} never reads these {interface} keys of {DEFINITIONS}")

    def test_kotlin_adapter_reads_every_option(self):
        self._check(Sources.kotlin(), "the Kotlin adapter")

    def test_swift_adapter_reads_every_option(self):
        self._check(Sources.swift(), "the Swift adapter")

    def test_vectors_options_are_getcustomer_options(self):
        keys = set(Sources.ts_keys("GetCustomerOptions"))
        bad = {name: sorted(set(v["options"]) - keys) for name, v in Sources.vectors().items()
               if set(v.get("options", {})) - keys}
        self.assertEqual(bad, {}, f"vector options that GetCustomerOptions in {DEFINITIONS} does not have")


class PluginCallCases(unittest.TestCase):
    """src-ts/contract/plugin-calls.json is the one statement of how every call answers: all
    three harnesses run it, and every message in it is one each implementation can produce (the
    Android and iOS adapters themselves or through the Rust core, whose words the web repeats)."""

    @staticmethod
    def cases():
        return Sources.get("plugin_calls", lambda: src.load_json(PLUGIN_CALLS))

    @classmethod
    def format_words(cls):
        """Every key of the file's format and the one string outcome, not the options inside."""
        file = cls.cases()
        words = {key for key in file if not key.startswith("$")} | {"resolve"}  # "$comment"
        for case in file["cases"]:
            words |= set(case)
            for step in case["calls"]:
                words |= set(step)
                if isinstance(step.get("expect"), dict):
                    words |= set(step["expect"])
        return words

    @classmethod
    def expected_messages(cls):
        """{message: [option values of the calls expecting it]}."""
        def strings(value):
            if isinstance(value, str):
                return [value]
            if isinstance(value, dict):
                return [s for v in value.values() for s in strings(v)]
            if isinstance(value, list):
                return [s for v in value for s in strings(v)]
            return []

        found = {}
        for case in cls.cases()["cases"]:
            started = {}
            for step in case["calls"]:
                options = step.get("options", {})
                if "start" in step:
                    started[step["start"]] = options
                if "await" in step:
                    options = started.get(step["await"], {})
                expect = step.get("expect")
                if isinstance(expect, dict) and "message" in expect:
                    found.setdefault(expect["message"], []).extend(strings(options))
        return found

    def test_every_harness_reads_the_file_and_knows_its_format(self):
        words = self.format_words() | SERVER_WORDS
        for side, (folder, suffix, lang) in HARNESSES.items():
            files = [src.lex(path, lang) for path in src.files_under(folder, {suffix})]
            self.assertTrue(files, f"{side}: no {suffix} files under {folder}")
            literals = {value for lexed in files for value in lexed.values()}
            self.assertTrue(any(value.endswith("contract/plugin-calls.json") for value in literals),
                            f"{side} ({folder}) never names {PLUGIN_CALLS}")
            # TypeScript reads JSON keys as properties (`step.expect`), the others by string.
            code = " ".join(lexed.code for lexed in files)
            names = set(re.findall(r"\.\s*(" + src.IDENT + ")", code)) if lang == "ts" else set()
            missing = sorted(word for word in words if word not in literals | names)
            self.assertEqual(missing, [], f"{side} ({folder}) never mentions these words of {PLUGIN_CALLS}'s format")

    def _check(self, sources, side):
        missing = sorted(message for message, given in self.expected_messages().items()
                         if not src.produces(sources, message, given))
        self.assertEqual(missing, [], f"{side} cannot produce these messages of {PLUGIN_CALLS}")

    @staticmethod
    def rust_core():
        return Sources.get("rust_src", lambda: [(src.without_rust_tests(src.lex(path, "rust")), "rust")
                                                for path in src.files_under(RUST_SRC, {".rs"})])

    @staticmethod
    def kotlin_sources():
        return [(lexed, "java" if lexed.path.suffix == ".java" else "kotlin") for lexed in Sources.kotlin()]

    def test_the_file_has_messages(self):
        self.assertGreaterEqual(len(self.expected_messages()), 20, f"messages in {PLUGIN_CALLS}")

    def test_web_implementation_produces_every_message(self):
        self._check([(lexed, "ts") for lexed in Sources.web()], "the web implementation (src-ts)")

    def test_kotlin_adapter_with_the_core_produces_every_message(self):
        self._check(self.kotlin_sources() + self.rust_core(), "the Kotlin adapter (android/src/main) with the core")

    def test_swift_adapter_with_the_core_produces_every_message(self):
        self._check([(lexed, "swift") for lexed in Sources.swift()] + self.rust_core(),
                    f"the Swift adapter ({SWIFT_PLUGIN_DIR}) with the core")

    def test_native_adapters_word_internal_errors_alike(self):
        # uniffi's error after a panic in the core: not expressible as a case, same words anyway.
        sample = "panicked at src/client.rs"
        for sources, side in [(self.kotlin_sources(), "the Kotlin adapter"),
                              ([(lexed, "swift") for lexed in Sources.swift()], "the Swift adapter")]:
            self.assertTrue(src.produces(sources, f"internal error: {sample}", [sample]),
                            f"{side} never says \"internal error: <message>\"")


class Packaging(unittest.TestCase):
    """What `npx cap sync` and the package managers read agrees with package.json."""

    @staticmethod
    def package_swift():
        lexed = Sources.get("Package.swift", lambda: src.lex("Package.swift", "swift"))
        code = lexed.code

        def one(pattern, what):
            m = re.search(pattern, code)
            if not m:
                raise AssertionError(f"cannot find {what} in Package.swift")
            return m

        return {
            "name": lexed.lit(one(r"\bPackage\s*\(\s*name\s*:\s*" + src.LIT, "Package(name:)").group(1)),
            "products": [lexed.lit(i) for i in re.findall(r"\.library\s*\(\s*name\s*:\s*" + src.LIT, code)],
            "binary": lexed.lit(one(r"\.binaryTarget\s*\(\s*name\s*:\s*" + src.LIT + r"\s*,\s*path\s*:\s*"
                                    + src.LIT, ".binaryTarget(name:path:)").group(2)),
            "ios": one(r"\.iOS\s*\(\s*\.v(\d+)\s*\)", "platforms: [.iOS(.vN)]").group(1),
            "ios_literals": [v for v in lexed.values() if v.startswith("ios/")],
            "guarded": Packaging.guarded_paths(lexed),
        }

    @staticmethod
    def guarded_paths(lexed):
        """Paths held in a constant that a FileManager.fileExists(atPath:) check reads, directly
        or interpolated into its argument."""
        checked = " ".join(lexed.code[m.end():src.matching(lexed.code, m.end() - 1)]
                           for m in re.finditer(r"fileExists\s*\(", lexed.code))
        checked += " ".join(lexed.lit(i) for i in re.findall(src.LIT, checked))
        return [lexed.lit(i) for name, i in re.findall(r"\blet\s+(" + src.IDENT + r")\s*=\s*" + src.LIT, lexed.code)
                if re.search(r"\b" + name + r"\b", checked)]

    @staticmethod
    def podspec(name):
        path, text = src.read(f"{name}.podspec")
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))

        def value(key):
            m = re.search(r"\.\s*" + key + r"\s*=\s*['\"]([^'\"]+)['\"]", code)
            if not m:
                raise AssertionError(f"{src.rel(path)} sets no {key}")
            return m.group(1)

        return {key: value(key) for key in ("name", "vendored_frameworks", "deployment_target")}

    def package_json(self):
        return Sources.get("package.json", lambda: src.load_json("package.json"))

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
        _, script = src.read("scripts/build-xcframework.sh")
        self.assertIn(swift["binary"], script,
                      "scripts/build-xcframework.sh must write the xcframework Package.swift uses")
        self.assertEqual(pod["deployment_target"], f"{swift['ios']}.0", "podspec deployment_target vs Package.swift")


class GeneratedBindings(unittest.TestCase):
    def test_bindings_freshness_is_checked_by_the_rust_stage(self):
        stages = src.files_under("scripts/test.d", {".sh"})
        checking = [src.rel(p) for p in stages
                    if re.search(r"^[^#\n]*generate-bindings\.sh\s+--check\b", p.read_text(), re.M)]
        self.assertTrue(checking, "no stage in scripts/test.d runs scripts/generate-bindings.sh --check, "
                                  "so nothing proves the committed bindings are current")


if __name__ == "__main__":
    unittest.main()
