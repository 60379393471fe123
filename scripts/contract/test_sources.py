"""The readers of sources.py on small inputs: each mistake the contract test exists to catch is
caught, and what only looks like a declaration (a comment) is not read as one."""

import unittest

import sources as src

KOTLIN = '''
@CapacitorPlugin(name = "JuspayCustomer")
class JuspayCustomerPlugin : Plugin() {
    @PluginMethod
    fun configure(call: PluginCall) = Unit
    // @PluginMethod fun commentedOut(call: PluginCall)
    @PluginMethod(returnType = PluginMethod.RETURN_PROMISE)
    fun getCustomer(call: PluginCall) = Unit
    private fun helper(call: PluginCall) = Unit
}
'''

SWIFT = '''
@objc(JuspayCustomerPlugin)
public class JuspayCustomerPlugin: CAPPlugin, CAPBridgedPlugin {
    public let identifier = "JuspayCustomerPlugin"
    public let jsName = "JuspayCustomer"
    public let pluginMethods: [CAPPluginMethod] = [
        CAPPluginMethod(name: "configure", returnType: CAPPluginReturnPromise),
        /* CAPPluginMethod(name: "gone", returnType: CAPPluginReturnPromise), */
        CAPPluginMethod(name: "cancel", returnType: CAPPluginReturnNone),
    ]
    @objc func configure(_ call: CAPPluginCall) {}
}
'''


class Readers(unittest.TestCase):
    def test_kotlin_plugin_name_and_methods_without_comments_or_helpers(self):
        self.assertEqual(src.kotlin_plugin(KOTLIN), ("JuspayCustomer", ["configure", "getCustomer"]))

    def test_kotlin_without_or_with_two_plugin_names_is_an_error(self):
        with self.assertRaises(src.SourceError):
            src.kotlin_plugin(KOTLIN.replace("@CapacitorPlugin", "// @CapacitorPlugin"))
        with self.assertRaises(src.SourceError):
            src.kotlin_plugin(KOTLIN + '\n@CapacitorPlugin(name = "Other") class B')

    def test_swift_plugin_reads_names_methods_and_objc_functions(self):
        plugin = src.swift_plugin(SWIFT)
        self.assertEqual((plugin["objc_name"], plugin["class"], plugin["identifier"], plugin["jsName"]),
                         ("JuspayCustomerPlugin", "JuspayCustomerPlugin", "JuspayCustomerPlugin", "JuspayCustomer"))
        self.assertEqual(plugin["methods"], [("configure", "CAPPluginReturnPromise"), ("cancel", "CAPPluginReturnNone")])
        self.assertEqual(plugin["objc_funcs"], ["configure"])

    def test_literals_skip_comments_and_keep_escaped_quotes(self):
        text = 'val a = "timeoutMs" // "notRead"\n/* "neither" */ val b = "say \\"hi\\""'
        self.assertEqual(src.literals(text), ["timeoutMs", 'say "hi"'])

    def test_code_keeps_a_comment_marker_inside_a_string(self):
        self.assertEqual(src.literals('val url = "https://x.example" // c'), ["https://x.example"])

    def test_docs_json_members(self):
        docs = {"api": {"name": "P", "methods": [{"name": "configure"}], "properties": []},
                "interfaces": [{"name": "O", "methods": [], "properties": [{"name": "timeoutMs"}]}]}
        self.assertEqual(src.docs_interface_members(docs, "P"), {"configure": "method"})
        self.assertEqual(src.docs_interface_members(docs, "O"), {"timeoutMs": "property"})
        with self.assertRaises(src.SourceError):
            src.docs_interface_members(docs, "Missing")

    def test_registered_names(self):
        self.assertEqual(src.ts_registered_names("registerPlugin<P>('JuspayCustomer', {})"), ["JuspayCustomer"])

    def test_fix_name_is_the_capacitor_clis(self):
        self.assertEqual(src.fix_name("capacitor-juspay-customer"), "CapacitorJuspayCustomer")
        self.assertEqual(src.fix_name("@scope/my-plugin"), "ScopeMyPlugin")


if __name__ == "__main__":
    unittest.main()
