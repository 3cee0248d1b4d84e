// swift-tools-version:5.4
// libFuzzer harnesses for every reader, kept out of the main package so its build needs no
// sanitizer flags (as swift-protobuf's FuzzTesting/ does). Build and run with Fuzz/run.sh.
import PackageDescription

let harness: [SwiftSetting] = [.unsafeFlags(["-parse-as-library", "-swift-version", "6"])]

let package = Package(
    name: "BertConvFuzz",
    platforms: [.macOS("15.0")],
    dependencies: [.package(name: "bertconv", path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "BertFormats", package: "bertconv")]),
        .executableTarget(
            name: "FuzzSafetensors",
            dependencies: ["FuzzSupport", .product(name: "BertFormats", package: "bertconv")],
            swiftSettings: harness),
        .executableTarget(
            name: "FuzzTFCheckpoint",
            dependencies: ["FuzzSupport", .product(name: "BertFormats", package: "bertconv")],
            swiftSettings: harness),
        .executableTarget(
            name: "FuzzKerasH5",
            dependencies: ["FuzzSupport", .product(name: "BertFormats", package: "bertconv")],
            swiftSettings: harness),
        .executableTarget(
            name: "FuzzKeras3",
            dependencies: ["FuzzSupport", .product(name: "BertFormats", package: "bertconv")],
            swiftSettings: harness),
        .executableTarget(
            name: "FuzzFlaxMsgpack",
            dependencies: ["FuzzSupport", .product(name: "BertFormats", package: "bertconv")],
            swiftSettings: harness),
        .executableTarget(
            name: "FuzzONNX",
            dependencies: ["FuzzSupport", .product(name: "BertFormats", package: "bertconv")],
            swiftSettings: harness),
        .executableTarget(
            name: "FuzzJSON",
            dependencies: [.product(name: "BertFormats", package: "bertconv")],
            swiftSettings: harness),
    ]
)
