// swift-tools-version: 5.9
// Linux only: the Swift benchmark (benchmarks/swift/bench.sh builds it inside the Swift root of
// scripts/test.d/45-swift.sh). The script lays the package out in a scratch folder of the root:
// the committed bindings (ios/Sources/JuspayCustomerCore, ios/ffi) are copied beside these sources.
import PackageDescription

let package = Package(
    name: "JuspayCustomerSwiftBench",
    targets: [
        .systemLibrary(name: "JuspayCustomerFFI", path: "FFI"),
        // The generated bindings and the hand-written extension beside them, as the app links them,
        // against the release-mobile library the JVM benchmark loads (the script passes -L and -rpath).
        .target(
            name: "JuspayCustomerCore",
            dependencies: ["JuspayCustomerFFI"],
            path: "Sources/JuspayCustomerCore",
            linkerSettings: [.linkedLibrary("juspay_customer")]),
        .executableTarget(
            name: "SwiftBench",
            dependencies: ["JuspayCustomerCore"],
            path: "Sources/SwiftBench"),
    ]
)
