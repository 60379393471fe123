#!/usr/bin/env python3
"""Checks the Capacitor stand-ins (Capacitor.swift beside this file) against the real Capacitor
iOS sources of the @capacitor/ios npm package: every declaration of the stand-ins must be one of
CHECKED below, and each of those must still be in the real sources as written there.

Usage: check_stand_ins.py PATH/TO/node_modules/@capacitor/ios
"""
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]

# (file of @capacitor/ios, its declaration, the stand-in's declaration as Swift imports it).
CHECKED = [
    ("Capacitor/Capacitor/CAPPlugin.h", "@interface CAPPlugin : NSObject",
     "open class CAPPlugin: NSObject {}"),
    ("Capacitor/Capacitor/CAPBridgedPlugin.h", "@protocol CAPBridgedPlugin <NSObject>",
     "public protocol CAPBridgedPlugin: NSObjectProtocol {"),
    ("Capacitor/Capacitor/CAPBridgedPlugin.h", "@property (nonnull, readonly) NSString *identifier;",
     "var identifier: String { get }"),
    ("Capacitor/Capacitor/CAPBridgedPlugin.h", "@property (nonnull, readonly) NSString *jsName;",
     "var jsName: String { get }"),
    ("Capacitor/Capacitor/CAPBridgedPlugin.h",
     "@property (nonnull, readonly) NSArray<CAPPluginMethod *> *pluginMethods;",
     "var pluginMethods: [CAPPluginMethod] { get }"),
    ("Capacitor/Capacitor/CAPBridgedPlugin.h", '#define CAPPluginReturnPromise @"promise"',
     'public var CAPPluginReturnPromise: String { "promise" }'),
    ("Capacitor/Capacitor/CAPPluginMethod.h", "@interface CAPPluginMethod : NSObject",
     "open class CAPPluginMethod: NSObject {"),
    # No nullability annotations in that header: Swift imports the parameters as `String!`.
    ("Capacitor/Capacitor/CAPPluginMethod.h", "typedef NSString CAPPluginReturnType;", None),
    ("Capacitor/Capacitor/CAPPluginMethod.h",
     "- (instancetype)initWithName:(NSString *)name returnType:(CAPPluginReturnType *)returnType;",
     "public init(name: String!, returnType: String!) {}"),
    ("Capacitor/Capacitor/PluginCallResult.swift", "public typealias PluginCallResultData = [String: Any]",
     "public typealias PluginCallResultData = [String: Any]"),
    ("Capacitor/Capacitor/CAPPluginCall.h", "@interface CAPPluginCall : NSObject",
     "open class CAPPluginCall: NSObject {"),
    # An untyped NSDictionary without nullability: `[AnyHashable: Any]!` in Swift.
    ("Capacitor/Capacitor/CAPPluginCall.h", "@property (nonatomic, strong) NSDictionary *options;",
     "public var options: [AnyHashable: Any]! = [:]"),
    # Members of `@objc public extension CAPPluginCall`: public there, as here.
    ("Capacitor/Capacitor/CAPPluginCall.swift", "@objc public extension CAPPluginCall {", None),
    ("Capacitor/Capacitor/CAPPluginCall.swift", "func resolve() {", "public func resolve() {}"),
    ("Capacitor/Capacitor/CAPPluginCall.swift", "func resolve(_ data: PluginCallResultData = [:]) {",
     "public func resolve(_ data: PluginCallResultData = [:]) {}"),
    ("Capacitor/Capacitor/CAPPluginCall.swift",
     "func reject(_ message: String, _ code: String? = nil, _ error: Error? = nil, _ data: PluginCallResultData? = nil) {",
     "public func reject(_ message: String, _ code: String? = nil, _ error: Error? = nil, "
     "_ data: PluginCallResultData? = nil) {}"),
]


def normalised(line):
    return " ".join(line.split())


def declarations(swift):
    """The stand-in file's code lines: no comments, no blank lines, no closing braces, no import."""
    lines = []
    for line in swift.splitlines():
        line = normalised(line)
        if line and not line.startswith("//") and line not in {"}", "import Foundation"}:
            lines.append(line)
    return lines


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    capacitor = Path(sys.argv[1])
    failures = []

    dev = json.loads((REPO / "package.json").read_text())["devDependencies"]
    version = json.loads((capacitor / "package.json").read_text())["version"]
    if version != dev.get("@capacitor/ios") or version != dev.get("@capacitor/core"):
        failures.append(f"@capacitor/ios {version} is not the pinned @capacitor/ios and @capacitor/core "
                        f"({dev.get('@capacitor/ios')}, {dev.get('@capacitor/core')})")

    for file, real, _ in CHECKED:
        path = capacitor / file
        lines = {normalised(line) for line in path.read_text().splitlines()} if path.is_file() else set()
        if normalised(real) not in lines:
            failures.append(f"{file} no longer declares: {real}")

    expected = [normalised(stand_in) for _, _, stand_in in CHECKED if stand_in]
    found = declarations((HERE / "Capacitor.swift").read_text())
    for line in found:
        if line not in expected:
            failures.append(f"Capacitor.swift declares what is not checked against Capacitor: {line}")
    for line in expected:
        if line not in found:
            failures.append(f"Capacitor.swift lacks: {line}")

    # What the plugin uses of Capacitor must all be stand-ins (the compile checks the rest).
    plugin = (REPO / "ios/Sources/JuspayCustomerPlugin/JuspayCustomerPlugin.swift").read_text()
    used = set(re.findall(r"\bCAP[A-Za-z]+\b", plugin))
    declared = set(re.findall(r"\bCAP[A-Za-z]+\b", " ".join(expected)))
    for name in sorted(used - declared):
        failures.append(f"JuspayCustomerPlugin.swift uses {name}, which has no checked stand-in")

    if failures:
        print("Capacitor stand-ins do not match @capacitor/ios " + version + ":", file=sys.stderr)
        for failure in failures:
            print("  " + failure, file=sys.stderr)
        sys.exit(1)
    print(f"Capacitor stand-ins: {len(found)} declarations match @capacitor/ios {version}")


if __name__ == "__main__":
    main()
