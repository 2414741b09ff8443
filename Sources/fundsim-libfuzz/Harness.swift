// A coverage-guided fuzzer for FundSim (libFuzzer): bytes → scenario text (or, after a 0x01 byte, a roster
// CSV) → load and validate → compile, evaluate, build the report → xlsx, CSV, JSON, terminal summary; then
// the oracle (see `Oracle`). docs/fuzzing.md says how to run it and what it found.
//
// Built two ways from this one file (`-parse-as-library`, because it is not named main.swift):
// - `make fuzz-lf`: `-sanitize=fuzzer -DLIBFUZZER`; `main` hands the command line to libFuzzer's driver.
// - the normal build: a replayer, `fundsim-libfuzz FILE|DIR...` runs the oracle over saved inputs without
//   libFuzzer (for crash fixtures and machines without it). `--replay FILE|DIR...`, `--print-dict`,
//   `--seeds DIR` and `--known` work in both builds.
import Foundation

/// libFuzzer's entry point: one input, checked by the oracle. Returns -1 (libFuzzer: "do not add to the
/// corpus") for an input matching a known open problem, so that the search does not keep breeding it.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 || data == nil ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    return Oracle.shared.check(bytes) == .knownProblem ? -1 : 0
}

#if LIBFUZZER
/// libFuzzer's driver (compiler-rt's FuzzerDriver.cpp, `LLVMFuzzerRunDriver`): the normal `main` of a
/// libFuzzer binary, callable from ours because SwiftPM names the executable's own entry point.
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(_ argc: UnsafeMutablePointer<CInt>,
                         _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                         _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt
#endif

@main
enum FuzzMain {
    static func main() {
        let args = Array(CommandLine.arguments.dropFirst())
        if args.first == "--print-dict" {
            print(FuzzDictionary.text(), terminator: "")
            return
        }
        if args.first == "--known" {
            // One line per open problem: id, issue, witness (relative to the project), summary.
            for k in KnownProblems.all { print("\(k.id)\t\(k.issue)\t\(k.witness)\t\(k.summary)") }
            return
        }
        if args.first == "--seeds", args.count == 2 {
            do {
                let n = try SeedCorpus.write(to: args[1])
                print("fundsim-libfuzz: \(n) seed inputs written to \(args[1])")
            } catch {
                FileHandle.standardError.write(Data("fundsim-libfuzz: \(error)\n".utf8))
                exit(73)
            }
            return
        }
        atexit { Oracle.shared.finish() }
        if args.first == "--replay" {
            Replay.run(Array(args.dropFirst()))
            return
        }
        #if LIBFUZZER
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, fuzzOneInput))
        #else
        Replay.run(args)
        #endif
    }
}

/// Runs the oracle over saved inputs (files, or every file in a folder), as libFuzzer does when given files.
enum Replay {
    static func run(_ args: [String]) {
        let paths = args.filter { !$0.hasPrefix("-") }
        guard !paths.isEmpty else {
            FileHandle.standardError.write(Data("""
            usage: fundsim-libfuzz [--replay] FILE|DIR...  run the oracle over saved inputs (a violation aborts; *.csv are rosters)
                   fundsim-libfuzz --print-dict      print the libFuzzer dictionary generated from the code
                   fundsim-libfuzz --seeds DIR       write the seed corpus into DIR
                   fundsim-libfuzz --known           list the known open problems and an input showing each
            The libFuzzer build (make fuzz-lf) also takes every libFuzzer flag.

            """.utf8))
            exit(64)
        }
        var files: [String] = []
        for p in paths {
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: p, isDirectory: &isDir) else {
                FileHandle.standardError.write(Data("fundsim-libfuzz: no such file: \(p)\n".utf8))
                exit(66)
            }
            if isDir.boolValue {
                let names = ((try? FileManager.default.contentsOfDirectory(atPath: p)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
                files += names.map { (p as NSString).appendingPathComponent($0) }
            } else {
                files.append(p)
            }
        }
        for f in files {
            guard let data = FileManager.default.contents(atPath: f) else { continue }
            Oracle.shared.current = f
            // A roster fixture is kept as plain CSV; the fuzzer's own inputs carry the roster byte already.
            let bytes = f.hasSuffix(".csv") && data.first != Oracle.rosterMarker ? [Oracle.rosterMarker] + Array(data) : Array(data)
            let outcome = Oracle.shared.check(bytes)
            print("\(f): \(outcome.rawValue)")
        }
        print("fundsim-libfuzz: \(files.count) inputs replayed; no crash, no oracle violation")
    }
}
