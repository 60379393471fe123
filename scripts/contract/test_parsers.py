"""The contract's parsers on small tricky inputs: names in comments and strings never count,
layout does not matter, and what cannot be read is an error rather than an empty answer."""

import unittest

import sources as src
from sources import SourceError


class Lexer(unittest.TestCase):
    def test_comments_and_strings_hide_their_contents(self):
        lexed = src.lex_text('a /* b "c" */ d // "e"\nf = "g // h" + \'i\'', "ts")
        self.assertEqual(lexed.values(), ["g // h", "i"])
        self.assertNotIn("b", lexed.code)
        self.assertNotIn("e", lexed.code.replace("\n", " ").split("f")[0].replace("d", ""))

    def test_typescript_regex_literals_and_templates(self):
        lexed = src.lex_text("x = s.replace(/[!'()*]/g, (c) => `%${c.code('q')}`); y = 'z'", "ts")
        self.assertEqual(lexed.values()[-1], "z")
        self.assertIn("%${c.code('q')}", lexed.values())

    def test_swift_interpolation_raw_and_multiline_strings(self):
        lexed = src.lex_text('let a = "x \\(f("y")) z"; let b = #"r"aw"#; let c = """\nm"l\n"""', "swift")
        self.assertEqual(lexed.values(), ['x \\(f("y")) z', 'r"aw', 'm"l'])
        self.assertTrue(lexed.literals[0].interpolated)

    def test_nested_block_comments_in_swift_kotlin_rust(self):
        for lang in ("swift", "kotlin", "rust"):
            lexed = src.lex_text('/* a /* b */ "not a string" */ "s"', lang)
            self.assertEqual(lexed.values(), ["s"], lang)

    def test_rust_chars_lifetimes_and_raw_strings(self):
        lexed = src.lex_text("fn f<'a>(x: &'a str) -> char { let q = '\"'; r#\"raw \"x\"\"#; \"s\" }", "rust")
        self.assertEqual(lexed.values(), ['raw "x"', "s"])

    def test_kotlin_templates(self):
        lexed = src.lex_text('val m = "$key is required"; val n = "${a["b"]} c"; val ch = \'"\'', "kotlin")
        self.assertEqual(lexed.values(), ["$key is required", '${a["b"]} c'])


class TypeScript(unittest.TestCase):
    def test_interface_members_ignore_comments_and_nested_types(self):
        lexed = src.lex_text("""
            export interface P {
              /** configureLater(x): void would be a method if it were code */
              configure(options: { a: string; b(): void }): Promise<void>;
              // notAMethod(): void;
              getCustomer<T>(o: T): Promise<T>
              cancel: (o: X) => Promise<void>;
              count?: number;
            }""", "ts")
        self.assertEqual(src.ts_interface_members(lexed, "P"),
                         {"configure": "method", "getCustomer": "method", "cancel": "method", "count": "property"})

    def test_string_union_is_strict(self):
        ok = src.lex_text("export type C =\n  | 'A' // first\n  | \"B\";", "ts")
        self.assertEqual(src.ts_string_union(ok, "C"), ["A", "B"])
        with self.assertRaises(SourceError):
            src.ts_string_union(src.lex_text("export type C = 'A' | string;", "ts"), "C")

    def test_register_plugin_name(self):
        lexed = src.lex_text("// registerPlugin('Old')\nexport const P = registerPlugin<Api>(\n 'New', {});", "ts")
        self.assertEqual(src.ts_register_plugin_names(lexed), ["New"])


class Kotlin(unittest.TestCase):
    def test_plugin_methods_with_arguments_annotations_and_modifiers(self):
        lexed = src.lex_text("""
            @CapacitorPlugin(
                name = "Juspay", // name = "Wrong"
                permissions = [Permission(strings = ["a"], alias = "b")],
            )
            class JuspayPlugin : Plugin() {
                @PluginMethod(returnType = PluginMethod.RETURN_PROMISE)
                @Suppress("unused")
                public override fun configure(call: PluginCall) {}
                // @PluginMethod fun commented(call: PluginCall) {}
                @PluginMethod
                fun cancel(call: PluginCall) = Unit
            }""", "kotlin")
        self.assertEqual(src.capacitor_plugin(lexed), ("Juspay", "JuspayPlugin"))
        self.assertEqual(src.plugin_methods(lexed), ["configure", "cancel"])

    def test_plugin_method_not_on_a_function_is_an_error(self):
        with self.assertRaises(SourceError):
            src.plugin_methods(src.lex_text("@PluginMethod val x = 1", "kotlin"))

    def test_java_plugin_methods(self):
        lexed = src.lex_text("@PluginMethod\npublic void getCustomer(PluginCall call) {}", "java")
        self.assertEqual(src.plugin_methods(lexed), ["getCustomer"])


class Swift(unittest.TestCase):
    PLUGIN = """
        @objc(P)
        public class P: CAPPlugin, CAPBridgedPlugin {
            public let identifier = "P"
            public let jsName = "Js" // jsName = "Other"
            public let pluginMethods: [CAPPluginMethod] = [
                CAPPluginMethod(name: "configure", returnType: CAPPluginReturnPromise),
                // CAPPluginMethod(name: "old", returnType: CAPPluginReturnPromise),
                CAPPluginMethod( name : "cancel" ,returnType:CAPPluginReturnNone ),
            ]
            @objc func configure(_ call: CAPPluginCall) { let s = "@objc func fake(_ call: CAPPluginCall)" }
            @objc public func cancel(_ call: CAPPluginCall) {}
        }"""

    def test_bridged_plugin(self):
        plugin = src.swift_bridged_plugin(src.lex_text(self.PLUGIN, "swift"))
        self.assertEqual(plugin["identifier"], "P")
        self.assertEqual(plugin["objc_name"], "P")
        self.assertEqual(plugin["jsName"], "Js")
        self.assertEqual(plugin["methods"],
                         [("configure", "CAPPluginReturnPromise"), ("cancel", "CAPPluginReturnNone")])
        self.assertEqual(plugin["objc_funcs"], ["configure", "cancel"])

    def test_struct_vars_are_stored_properties_only(self):
        code = """
            public struct Customer {
                public var id: String
                public var firstName: String?
                public init(id: String, firstName: String?) { self.id = id; self.firstName = firstName }
                public var description: String {
                    return "x"
                }
            }"""
        self.assertEqual(src.swift_struct_vars(src.lex_text(code, "swift"), "Customer"), ["id", "firstName"])

    def test_unreadable_plugin_methods_entry_is_an_error(self):
        broken = self.PLUGIN.replace('CAPPluginMethod(name: "configure"', 'makeMethod("configure"')
        with self.assertRaises(SourceError):
            src.swift_bridged_plugin(src.lex_text(broken, "swift"))


class Rust(unittest.TestCase):
    def test_error_codes_must_match_their_declared_length(self):
        with self.assertRaises(SourceError):
            src.rust_error_codes(src.lex_text('pub const ERROR_CODES: [&str; 3] = ["A", "B"];', "rust"))

    def test_enum_variants_skip_attributes_and_docs(self):
        lexed = src.lex_text("""
            pub enum E {
                /// A { not a variant }
                #[error("A: {}", details.message)]
                A { details: D },
                #[error("b")]
                B(D),
                C,
            }""", "rust")
        self.assertEqual(src.rust_enum_variants(lexed, "E"), ["A", "B", "C"])


class Adapters(unittest.TestCase):
    def test_code_like_literals_catch_typos_and_ignore_other_text(self):
        lexed = src.lex_text('a("CANCELED"); b("JuspayCustomer"); c("TIMEOUT"); d("GET"); e("NOT_A_CODE")', "kotlin")
        found = src.code_like_literals([lexed], {"CANCELLED", "TIMEOUT"})
        self.assertEqual(sorted(found), ["CANCELED", "NOT_A_CODE", "TIMEOUT"])

    def test_object_keys_are_grouped_per_object(self):
        kotlin = src.lex_text("""
            fun a() = JSONObject().put("status", 1).put("retryable", x)
            fun b(): JSONObject { val o = JSONObject(); o.put("id", 1); o.put("firstName", n); return o }
            val m = mapOf("x" to 1, "y" to 2)
        """, "kotlin")
        groups = sorted(sorted(keys) for _, keys in src.object_key_groups([kotlin], "kotlin"))
        self.assertEqual(groups, [["firstName", "id"], ["retryable", "status"], ["x", "y"]])
        swift = src.lex_text('let d: [String: Any] = ["id": id, "object": c ? "a" : "b"]', "swift")
        self.assertEqual([keys for _, keys in src.object_key_groups([swift], "swift")], [{"id", "object"}])

    def test_messages_from_templates_need_their_filler(self):
        lexed = src.lex_text('fun f(k: String) = err("$k is required"); val a = "backendUrl"', "kotlin")
        self.assertTrue(src.produces([(lexed, "kotlin")], "backendUrl is required"))
        self.assertFalse(src.produces([(lexed, "kotlin")], "customerId is required"))
        swift = src.lex_text('throw e("\\(key) is required"); get(o, "customerId")', "swift")
        self.assertTrue(src.produces([(swift, "swift")], "customerId is required"))

    def test_messages_fill_from_numbers_and_the_call_options(self):
        ts = src.lex_text("const MAX = 600_000; e(`${n} must be at most ${MAX}`); e(`id \"${id}\" taken`); "
                          "e(`got ${chars}`); k('timeoutMs')", "ts")
        sources = [(ts, "ts")]
        self.assertTrue(src.produces(sources, "timeoutMs must be at most 600000"))
        self.assertFalse(src.produces(sources, "timeoutMs must be at most 700000"))
        self.assertTrue(src.produces(sources, 'id "profile" taken', ["profile"]))
        self.assertFalse(src.produces(sources, 'id "profile" taken'))
        self.assertTrue(src.produces(sources, "got 3", ["abc"]))

    def test_rust_format_strings_compose_and_tests_do_not_count(self):
        rust = src.lex_text('fn v() { let bad = |why: &str| e(format!("base URL {why}")); '
                            'bad(&format!("must use https, not {other}")); }\n'
                            '#[cfg(test)]\nmod tests { fn t() { assert_eq!(x, "customer_id must not be empty"); } }',
                            "rust")
        sources = [(src.without_rust_tests(rust), "rust")]
        self.assertTrue(src.produces(sources, "base URL must use https, not ftp", ["ftp://api.example"]))
        self.assertFalse(src.produces(sources, "base URL must use https, not ftp"))
        self.assertFalse(src.produces(sources, "customer_id must not be empty"))
        self.assertTrue(src.produces([(rust, "rust")], "customer_id must not be empty"))


class Names(unittest.TestCase):
    def test_fix_name_is_the_capacitor_cli_rule(self):
        self.assertEqual(src.fix_name("capacitor-juspay-customer"), "CapacitorJuspayCustomer")
        self.assertEqual(src.fix_name("@capacitor/device"), "CapacitorDevice")


if __name__ == "__main__":
    unittest.main()
