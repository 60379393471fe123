// swift-tools-version: 5.9
import Foundation
import PackageDescription

// `npx cap sync` links the product named after the npm package (capacitor-juspay-customer ->
// CapacitorJuspayCustomer). Native apps that want the Rust core without Capacitor use the
// JuspayCustomerCore product. The xcframework is built by scripts/build-xcframework.sh.
let package = Package(
    name: "CapacitorJuspayCustomer",
    platforms: [.iOS(.v15)],
    products: [
        .library(
            name: "CapacitorJuspayCustomer",
            targets: ["JuspayCustomerPlugin"]),
        .library(
            name: "JuspayCustomerCore",
            targets: ["JuspayCustomerCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/ionic-team/capacitor-swift-pm.git", from: "8.0.0")
    ],
    targets: [
        // The Rust core: static libraries with the C header and module map of its FFI.
        .binaryTarget(
            name: "JuspayCustomerFFI",
            path: "ios/Frameworks/JuspayCustomerFFI.xcframework"),
        // The generated Swift bindings (scripts/generate-bindings.sh), nothing hand-written.
        .target(
            name: "JuspayCustomerCore",
            dependencies: ["JuspayCustomerFFI"],
            path: "ios/Sources/JuspayCustomerCore"),
        .target(
            name: "JuspayCustomerPlugin",
            dependencies: [
                "JuspayCustomerCore",
                // Direct, not only through the bindings: with explicit module builds the FFI's
                // C module must be visible to every target whose imports reach it.
                "JuspayCustomerFFI",
                .product(name: "Capacitor", package: "capacitor-swift-pm"),
                .product(name: "Cordova", package: "capacitor-swift-pm"),
            ],
            path: "ios/Sources/JuspayCustomerPlugin"),
    ]
)

// SwiftPM checks the path of every target when it loads a package, test targets included, and
// the npm package does not ship ios/Tests: declare the tests only where they exist (this
// repository), so apps installing from npm can still resolve the package.
let testsPath = "ios/Tests/JuspayCustomerPluginTests"
if FileManager.default.fileExists(atPath: "\(Context.packageDirectory)/\(testsPath)") {
    package.targets.append(
        .testTarget(
            name: "JuspayCustomerPluginTests",
            dependencies: ["JuspayCustomerPlugin", "JuspayCustomerCore", "JuspayCustomerFFI"],
            path: testsPath))
}
