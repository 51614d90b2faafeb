// swift-tools-version:6.1
// The fuzz target for the scenario and baseline-CSV loaders (docs/hardening.md, "Fuzzing").
// Its own package so the main build never sees -sanitize=fuzzer. Build and run:
//
//   cd Fuzz && swift build -c release -Xswiftc -sanitize=fuzzer -Xswiftc -parse-as-library \
//       -Xcc -fsanitize=fuzzer-no-link
//   SWIFT_BACKTRACE=enable=no .build/release/FuzzScenario Corpus -max_len=8192 -timeout=10 -runs=1000000
//
// or simply `bash Fuzz/run.sh [seconds]`.
import PackageDescription

let package = Package(
    name: "SharedSavingsFuzz",
    dependencies: [.package(name: "SharedSavings", path: "..")],
    targets: [
        .executableTarget(
            name: "FuzzScenario",
            dependencies: [.product(name: "SavingsModel", package: "SharedSavings")]
        ),
    ]
)
