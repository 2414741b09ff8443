import Foundation
import Testing
import FundSimModel
import TestSupport

/// The coverage-guided fuzzer's parts that run without libFuzzer (docs/fuzzing.md): its dictionary, its
/// oracle over the seed corpus, and its list of known open problems. `make fuzz-ci` runs libFuzzer itself.
@Suite("Fuzz harness", .serialized)
struct FuzzHarnessTests {
    static var binary: String { Project.root + "/.build/debug/fundsim-libfuzz" }
    static let quiet = ["SWIFT_BACKTRACE": "enable=no"]

    @Test("the committed dictionary is the one generated from the code's tables (make fuzz-dict)")
    func dictionaryCurrent() throws {
        let r = try runProcess(Self.binary, ["--print-dict"])
        #expect(r.status == 0, "\(r.stderr)")
        let committed = try String(contentsOfFile: Project.root + "/Sources/fundsim-libfuzz/fundsim.dict", encoding: .utf8)
        #expect(r.stdout == committed, "Sources/fundsim-libfuzz/fundsim.dict is stale: run make fuzz-dict")
    }

    /// The dictionary's entries, unescaped: libFuzzer's `\xHH`, `\\` and `\"`.
    static func entries(_ dict: String) -> Set<String> {
        var out = Set<String>()
        for line in dict.split(separator: "\n") where !line.hasPrefix("#") {
            guard let open = line.firstIndex(of: "\""), line.last == "\"" else { continue }
            let body = Array(line[line.index(after: open)..<line.index(before: line.endIndex)].utf8)
            var bytes: [UInt8] = []
            var i = 0
            while i < body.count {
                if body[i] == UInt8(ascii: "\\"), i + 1 < body.count {
                    if body[i + 1] == UInt8(ascii: "x"), i + 3 < body.count, let b = UInt8(String(decoding: body[(i + 2)...(i + 3)], as: UTF8.self), radix: 16) {
                        bytes.append(b)
                        i += 4
                        continue
                    }
                    bytes.append(body[i + 1])
                    i += 2
                    continue
                }
                bytes.append(body[i])
                i += 1
            }
            out.insert(String(decoding: bytes, as: UTF8.self))
        }
        return out
    }

    /// Quoted strings of the lines of `file` that match `pattern` (capture group 1), from `start` to `end`.
    static func quoted(_ file: String, from start: String, to end: String, _ pattern: String) throws -> [String] {
        let text = try String(contentsOfFile: Project.root + "/" + file, encoding: .utf8)
        let lo = try #require(text.range(of: start), "\(file) no longer has `\(start)`: update this test")
        let hi = try #require(text.range(of: end, range: lo.upperBound..<text.endIndex), "\(file) no longer has `\(end)`")
        let part = String(text[lo.lowerBound..<hi.lowerBound])
        let re = try NSRegularExpression(pattern: pattern)
        return re.matches(in: part, range: NSRange(part.startIndex..., in: part)).compactMap { m in
            Range(m.range(at: 1), in: part).map { String(part[$0]) }
        }
    }

    @Test("the dictionary has every operator, the parser's other spellings and every unit of the unit table")
    func dictionaryCoversTables() throws {
        let dict = Self.entries(try String(contentsOfFile: Project.root + "/Sources/fundsim-libfuzz/fundsim.dict", encoding: .utf8))
        // The parser's aliases are private to it: read them from its source, so a new one cannot be missed.
        let aliases = try Self.quoted("Sources/FundSimModel/Expression.swift", from: "case \"=\": op = \"==\"", to: "default", #"case "([^"]+)""#)
        let units = UnitTable.all.flatMap { $0.spellings + $0.names } + UnitTable.perSuffixes
        #expect(aliases.count >= 5 && units.count >= 20, "the tables were not found: \(aliases) \(units)")
        for t in BinaryOperator.allCases.map(\.rawValue) + aliases + units {
            #expect(dict.contains(t), "the fuzz dictionary lacks `\(t)`: make fuzz-dict")
        }
    }

    @Test("the oracle holds over the seed corpus: every scenario, example, fixture and roster the project has")
    func seedCorpus() throws {
        let dir = Project.tempDir("fuzz-seeds")
        let seeds = try runProcess(Self.binary, ["--seeds", dir + "/seeds"])
        #expect(seeds.status == 0, "\(seeds.stderr)")
        let n = try FileManager.default.contentsOfDirectory(atPath: dir + "/seeds").count
        #expect(n >= Project.scenarios.count + 50, "the seed corpus has \(n) inputs")
        let r = try runProcess(Self.binary, [dir + "/seeds"], env: Self.quiet, timeout: 600)
        #expect(r.status == 0 && !r.signalled, "an oracle violation not on the known-problem list:\n\(r.stderr)")
        #expect(r.stdout.contains("\(n) inputs replayed; no crash, no oracle violation"), "\(r.stdout.suffix(500))")
        // The project's own scenarios are valid and written: the invariant is exercised, not just the rejections.
        for s in Project.scenarios {
            let name = "scenarios_" + URL(fileURLWithPath: s).lastPathComponent
            #expect(r.stdout.contains(dir + "/seeds/" + name + ": valid; written without a problem"), "\(name)")
        }
    }

    @Test("every regression witness (hostile inputs, fuzz finds) holds under the strict oracle: no crash, no violation")
    func witnessesHold() throws {
        let list = try runProcess(Self.binary, ["--known"])
        #expect(list.status == 0, "\(list.stderr)")
        let entries = list.stdout.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(entries.allSatisfy { $0.count == 4 }, "\(list.stdout)")
        let fm = FileManager.default
        var witnesses: [String] = []
        for folder in ["Tests/FundSimTests/Fixtures/hostile", "Tests/FundSimTests/Fixtures/fuzz"] {
            for name in try fm.contentsOfDirectory(atPath: Project.root + "/" + folder).sorted() where name.hasSuffix(".yaml") || name.hasSuffix(".csv") {
                witnesses.append(Project.root + "/" + folder + "/" + name)
            }
        }
        #expect(witnesses.count >= 12, "the witness folders are missing: \(witnesses.count)")
        let strict = try runProcess(Self.binary, witnesses, env: Self.quiet.merging(["FUNDSIM_FUZZ_STRICT": "1"]) { $1 }, timeout: 300)
        #expect(strict.status == 0 && !strict.signalled, "a witness fails the strict oracle:\n\(strict.stderr.suffix(3000))")
        #expect(strict.stderr.contains("\(witnesses.count) inputs: ") && !strict.stderr.contains("ORACLE VIOLATION"), "\(strict.stderr.suffix(2000))")
    }
}
