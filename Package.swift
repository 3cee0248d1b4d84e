// swift-tools-version: 6.1
import PackageDescription

let strict: [SwiftSetting] = [.swiftLanguageMode(.v6)]

let package = Package(
    name: "bertconv",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "bertconv", targets: ["bertconv"]),
        .library(name: "BertConvKit", targets: ["BertConvKit"]),
        .library(name: "BertFormats", targets: ["BertFormats"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // System libraries (Debian: libhdf5-dev, libopenblas-dev, libprotobuf-c-dev).
        .systemLibrary(name: "CHDF5", pkgConfig: "hdf5", providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(name: "CProtobufC", pkgConfig: "libprotobuf-c", providers: [.apt(["libprotobuf-c-dev"])]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        // protobuf-c code generated from formats/*.proto (see formats/regenerate-protos.sh).
        .target(name: "BertProtos", dependencies: ["CProtobufC"]),
        .systemLibrary(name: "CSnappy", pkgConfig: "snappy", providers: [.apt(["libsnappy-dev"])]),
        .target(name: "CCRC32C"),

        .target(name: "BertLayoutKernels"),
        .target(name: "BertCore", dependencies: ["BertLayoutKernels"], swiftSettings: strict),
        // formats/ is data: name maps (maps/*.json, shipped as resources) and .proto subsets (proto/).
        .target(
            name: "BertNameMaps", dependencies: ["BertCore"], path: "formats",
            exclude: ["proto", "README.md", "int8.md", "onnx.md"], sources: ["NameMaps.swift"], resources: [.copy("maps")],
            swiftSettings: strict),
        .target(
            name: "BertFormats",
            dependencies: [
                "BertCore", "BertNameMaps", "CHDF5", "CZlib", "BertProtos", "CCRC32C", "CSnappy",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        .target(name: "BertTokenizer", dependencies: ["BertCore"], swiftSettings: strict),
        // The runner's fp32 kernels: packed GEMM, attention, LayerNorm; AVX2+FMA chosen at run time.
        .target(name: "BertKernels"),
        .target(name: "BertRunner", dependencies: ["BertCore", "BertKernels", "COpenBLAS"], swiftSettings: strict),
        // The int8 runner's kernels: per-token activation quantization, u8×s8 GEMM with fused requantization.
        .target(name: "BertInt8Kernels"),
        .target(name: "BertQuant", dependencies: ["BertCore", "BertFormats", "BertRunner", "BertKernels", "BertInt8Kernels"], swiftSettings: strict),
        .target(
            name: "BertConvKit",
            dependencies: [
                "BertCore", "BertFormats", "BertTokenizer", "BertRunner", "BertQuant",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        .executableTarget(
            name: "bertconv",
            dependencies: ["BertConvKit", "BertFormats", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: strict),
        // Benchmark driver for bench/runner_bench.py (times the runner; not part of the product).
        .executableTarget(
            name: "runner-bench", dependencies: ["BertRunner", "BertFormats", "BertNameMaps"], path: "bench/RunnerBench", swiftSettings: strict),
        // Benchmark driver for bench/quant_accuracy.py and bench/quant_bench.py (times the fp32 and int8 runners; not part of the product).
        // GEMM throughput on BERT shapes for kernel work (bench/GemmBench; not part of the product).
        .executableTarget(name: "gemm-bench", dependencies: ["BertRunner"], path: "bench/GemmBench", swiftSettings: strict),
        .executableTarget(name: "quant-bench", dependencies: ["BertConvKit", "BertRunner", "BertFormats"], path: "bench/QuantBench", swiftSettings: strict),

        .target(name: "TestSupport", path: "Tests/TestSupport", swiftSettings: strict),
        .testTarget(name: "BertCoreTests", dependencies: ["BertCore"], swiftSettings: strict),
        .testTarget(name: "BertFormatsTests", dependencies: ["TestSupport", "BertFormats"], swiftSettings: strict),
        .testTarget(name: "BertTokenizerTests", dependencies: ["TestSupport", "BertTokenizer"], swiftSettings: strict),
        .testTarget(name: "BertRunnerTests", dependencies: ["TestSupport", "BertRunner", "BertFormats", "BertNameMaps"], swiftSettings: strict),
        .testTarget(name: "BertQuantTests", dependencies: ["TestSupport", "BertQuant", "BertFormats", "BertNameMaps"], swiftSettings: strict),
        .testTarget(name: "BertConvKitTests", dependencies: ["TestSupport", "BertConvKit"], swiftSettings: strict),
        .testTarget(name: "bertconvTests", dependencies: ["TestSupport", "bertconv"], swiftSettings: strict),
    ]
)
