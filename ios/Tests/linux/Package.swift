// swift-tools-version: 5.9
// Linux only: the manifest scripts/test.d/45-swift.sh builds and tests inside its Debian trixie
// root. The repository's Package.swift is the Apple one (xcframework, Capacitor from SwiftPM) and
// cannot resolve on Linux. The stage lays this package out in a scratch folder where each path
// below is a symlink into the repository (Bridge/ is a prepared copy); see ios/README.md.
import PackageDescription

let package = Package(
    name: "JuspayCustomerLinux",
    targets: [
        // The core's C header and the generated module map (ios/ffi), as they are committed.
        .systemLibrary(name: "JuspayCustomerFFI", path: "FFI"),
        // The generated bindings and the hand-written extension beside them, linked against the
        // host's debug build of the core (the stage passes -L and -rpath).
        .target(
            name: "JuspayCustomerCore",
            dependencies: ["JuspayCustomerFFI"],
            path: "Sources/JuspayCustomerCore",
            linkerSettings: [.linkedLibrary("juspay_customer")]),
        // Every file of the plugin but the one that imports Capacitor.
        .target(
            name: "JuspayCustomerPlugin",
            dependencies: ["JuspayCustomerCore", "JuspayCustomerFFI"],
            path: "Sources/JuspayCustomerPlugin",
            exclude: ["JuspayCustomerPlugin.swift"]),
        // Stand-ins of the Capacitor types JuspayCustomerPlugin.swift uses, checked against
        // @capacitor/ios by ios/Tests/CapacitorStandIns/check_stand_ins.py.
        .target(name: "Capacitor", path: "CapacitorStandIns", exclude: ["check_stand_ins.py"]),
        // The whole plugin, JuspayCustomerPlugin.swift included, against the stand-ins: a
        // compile check only (Bridge/ is prepared by the stage).
        .target(
            name: "JuspayCustomerPluginBridge",
            dependencies: ["JuspayCustomerCore", "JuspayCustomerFFI", "Capacitor"],
            path: "Bridge"),
        .testTarget(
            name: "JuspayCustomerPluginTests",
            dependencies: ["JuspayCustomerPlugin", "JuspayCustomerCore", "JuspayCustomerFFI"],
            path: "Tests/JuspayCustomerPluginTests"),
    ]
)
