// swift-tools-version:5.4
// libFuzzer harnesses for every reader, kept out of the main package so its build needs no
// sanitizer flags (as swift-protobuf's FuzzTesting/ does). Build and run with Fuzz/run.sh.
// Tools version 5.4 keeps SwiftPM from renaming `main`, which libFuzzer provides.
import PackageDescription

let harness: [SwiftSetting] = [.unsafeFlags(["-parse-as-library", "-swift-version", "6"])]
let formats = Target.Dependency.product(name: "BertFormats", package: "bertconv")
let readers = ["FuzzSafetensors", "FuzzTFCheckpoint", "FuzzKerasH5", "FuzzKeras3", "FuzzFlaxMsgpack", "FuzzONNX"]

let package = Package(
    name: "BertConvFuzz",
    platforms: [.macOS("15.0")],
    dependencies: [.package(name: "bertconv", path: "..")],
    targets: [
        .systemLibrary(name: "CHDF5Identifiers", pkgConfig: "hdf5"),
        .target(name: "FuzzSupport", dependencies: [formats, "CHDF5Identifiers"]),
        .executableTarget(name: "FuzzJSON", dependencies: [formats], swiftSettings: harness),
    ] + readers.map { .executableTarget(name: $0, dependencies: ["FuzzSupport", formats], swiftSettings: harness) }
)
