// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "FundSim",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "fundsim", targets: ["fundsim"]),
        .library(name: "FundSimEngine", targets: ["FundSimEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.20"),
    ],
    targets: [
        // C at the edge: libxlsxwriter from Debian's libxlsxwriter-dev.
        .systemLibrary(
            name: "Cxlsxwriter",
            pkgConfig: "xlsxwriter",
            providers: [.apt(["libxlsxwriter-dev"])]
        ),
        .target(name: "XLSX", dependencies: ["Cxlsxwriter", "CellReferences"]),
        // Reads xlsx files (cells, formulas, defined names, sheets) through ZIPFoundation and Foundation's XMLParser.
        .target(name: "XLSXReader", dependencies: ["CellReferences", .product(name: "ZIPFoundation", package: "ZIPFoundation")]),
        // A1 cell references, spelled once for the report builders and the xlsx wrapper.
        .target(name: "CellReferences"),

        // Scenario → projection → report model (neutral cells) → writers.
        .target(name: "FundSimModel"),
        .target(name: "FundSimScenario", dependencies: ["FundSimModel", "Yams"]),
        .target(name: "FundSimEngine", dependencies: ["FundSimModel"]),
        .target(name: "FundSimReport", dependencies: ["FundSimModel", "FundSimEngine", "CellReferences"]),
        // xlsx, CSV, JSON, the terminal, and output that never loses a file.
        .target(name: "FundSimWriters", dependencies: ["FundSimModel", "FundSimEngine", "FundSimReport", "XLSX"]),
        // What each command does, as a library the thin executable and the tests share.
        .target(name: "FundSimKit", dependencies: ["FundSimModel", "FundSimScenario", "FundSimEngine", "FundSimReport", "FundSimWriters", "XLSXReader", "CellReferences"]),
        .executableTarget(
            name: "fundsim",
            dependencies: [
                "FundSimKit", "FundSimModel", "FundSimEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // A mutation fuzzer over scenario text and rosters (`make fuzz`; a short pass runs in the tests).
        .executableTarget(name: "fundsim-fuzz", dependencies: ["FundSimKit", "FundSimModel", "FundSimEngine", "FundSimReport", "FundSimWriters"]),

        // Tests (Swift Testing). TestSupport finds outside tools (LibreOffice, Python packages) and runs programs for both.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "XLSXTests", dependencies: ["XLSX", "XLSXReader", "TestSupport"], exclude: ["read_xlsx.py"]),
        .testTarget(
            name: "FundSimTests",
            dependencies: ["FundSimModel", "FundSimScenario", "FundSimEngine", "FundSimReport", "FundSimWriters", "FundSimKit", "TestSupport", "XLSXReader"],
            exclude: ["Fixtures", "Golden", "Scripts"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
