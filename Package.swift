// swift-tools-version:6.1
import PackageDescription

let package = Package(
    name: "SharedSavings",
    platforms: [.macOS(.v13)],
    products: [
        // MARK: - Public API
        .executable(name: "shared-savings", targets: ["shared-savings"]),
        .library(name: "SavingsModel", targets: ["SavingsModel"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/JohnSundell/Ink", from: "0.6.0"),
    ],
    targets: [
        // MARK: - Implementation details
        .systemLibrary(
            name: "CGSL",
            pkgConfig: "gsl",
            providers: [.apt(["libgsl-dev"])]
        ),
        /// Generator streams, distributions, copula and samplers. The only importer of CGSL.
        .target(name: "Stochastics", dependencies: ["CGSL"]),
        /// Scenario files: YAML and CSV loading, validation with locations.
        .target(
            name: "ScenarioFiles",
            dependencies: [
                "Stochastics",
                .product(name: "Yams", package: "Yams"),
                .product(name: "CSV", package: "CSV.swift"),
            ]
        ),
        /// The savings model, the Monte Carlo engine and the summaries.
        .target(name: "SavingsModel", dependencies: ["Stochastics", "ScenarioFiles"]),
        /// The business case: Markdown (Mustache template), HTML, CSV, JSON and SVG charts,
        /// written atomically.
        .target(
            name: "Reports",
            dependencies: [
                "SavingsModel", "ScenarioFiles",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Ink", package: "Ink"),
            ],
            resources: [.copy("Templates")]
        ),
        .executableTarget(
            name: "shared-savings",
            dependencies: [
                "SavingsModel", "Reports", "ScenarioFiles",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // MARK: - Tests
        .testTarget(name: "StochasticsTests", dependencies: ["Stochastics"]),
        .testTarget(
            name: "ScenarioFilesTests",
            dependencies: ["ScenarioFiles", "Stochastics"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "SavingsModelTests",
            dependencies: [
                "SavingsModel", "ScenarioFiles", "Stochastics",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "ReportsTests",
            dependencies: ["Reports", "SavingsModel", "ScenarioFiles", "Stochastics"],
            exclude: ["Golden"]
        ),
        .testTarget(name: "CommandLineTests", dependencies: ["shared-savings"]),
    ]
)
