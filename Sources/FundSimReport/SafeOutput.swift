import Foundation

/// Writes output files safely: to a temporary name in the same folder, renamed into place only when
/// complete, and never over a file FundSim did not write (unless forced).
///
/// FundSim keeps a small ledger, `.fundsim-outputs`, in each output folder: one line per file it wrote,
/// with the file's size and a 64-bit FNV-1a hash. A file that is not in the ledger, or that changed since
/// (someone saved their own edits into it), is left alone unless `force` is set.
public struct SafeOutput: Sendable {
    public var force: Bool
    public init(force: Bool = false) { self.force = force }

    public struct Failure: Error, CustomStringConvertible, Sendable {
        public var path: String
        public var reason: String
        public var hint: String?
        public var description: String { "cannot write \(path): \(reason)" + (hint.map { "\n  hint: \($0)" } ?? "") }
        public init(path: String, reason: String, hint: String? = nil) {
            self.path = path
            self.reason = reason
            self.hint = hint
        }
    }

    public static let ledgerName = ".fundsim-outputs"

    /// Produces a file at `path` by calling `produce` with a temporary path in the same folder.
    public func write(_ path: String, _ produce: (String) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw Failure(path: path, reason: "the folder \(dir) does not exist", hint: "create it, or choose another with --output")
        }
        if fm.fileExists(atPath: path), !force {
            if !ledger(dir).matches(url.lastPathComponent, path) {
                throw Failure(path: path, reason: "the file exists and FundSim did not write it, or it was changed since",
                              hint: "move it away, choose another --output folder, or pass --force to replace it")
            }
        }
        let tmp = dir + "/." + url.lastPathComponent + ".tmp-\(getpid())"
        try? fm.removeItem(atPath: tmp)
        do {
            try produce(tmp)
        } catch {
            try? fm.removeItem(atPath: tmp)
            throw Failure(path: path, reason: Self.reason(error))
        }
        guard fm.fileExists(atPath: tmp) else {
            throw Failure(path: path, reason: "nothing was written")
        }
        // Check that the bytes reached the disk completely (a full disk can truncate silently).
        guard let data = fm.contents(atPath: tmp) else {
            try? fm.removeItem(atPath: tmp)
            throw Failure(path: path, reason: "the written file cannot be read back")
        }
        if rename(tmp, path) != 0 {
            let err = String(cString: strerror(errno))
            try? fm.removeItem(atPath: tmp)
            throw Failure(path: path, reason: err)
        }
        // Files of one run may be written on several threads: one ledger update at a time.
        Self.ledgerLock.lock()
        defer { Self.ledgerLock.unlock() }
        var l = ledger(dir)
        l.entries[url.lastPathComponent] = (data.count, Self.fnv1a(data))
        l.save(dir)
    }

    static let ledgerLock = NSLock()

    /// Writes bytes safely.
    public func write(_ path: String, data: Data) throws {
        try write(path) { tmp in
            guard FileManager.default.createFile(atPath: tmp, contents: data) else {
                throw Failure(path: path, reason: "the folder is not writable or the disk is full")
            }
            let attrs = try? FileManager.default.attributesOfItem(atPath: tmp)
            if (attrs?[.size] as? NSNumber)?.intValue != data.count {
                throw Failure(path: path, reason: "the disk is full or a file size limit was reached")
            }
        }
    }

    static func reason(_ error: Error) -> String {
        if let f = error as? Failure { return f.reason }
        return "\(error)"
    }

    struct Ledger {
        var entries: [String: (size: Int, hash: UInt64)] = [:]

        func matches(_ name: String, _ path: String) -> Bool {
            guard let e = entries[name], let data = FileManager.default.contents(atPath: path) else { return false }
            return data.count == e.size && SafeOutput.fnv1a(data) == e.hash
        }

        func save(_ dir: String) {
            let text = entries.keys.sorted().map { "\($0)\t\(entries[$0]!.size)\t\(String(entries[$0]!.hash, radix: 16))" }.joined(separator: "\n") + "\n"
            let path = dir + "/" + SafeOutput.ledgerName
            let tmp = path + ".tmp-\(getpid())"
            if FileManager.default.createFile(atPath: tmp, contents: Data(text.utf8)) {
                if rename(tmp, path) != 0 { try? FileManager.default.removeItem(atPath: tmp) }
            }
        }
    }

    func ledger(_ dir: String) -> Ledger {
        var l = Ledger()
        guard let text = try? String(contentsOfFile: dir + "/" + Self.ledgerName, encoding: .utf8) else { return l }
        for line in text.split(separator: "\n") {
            let p = line.split(separator: "\t")
            if p.count == 3, let size = Int(p[1]), let h = UInt64(p[2], radix: 16) { l.entries[String(p[0])] = (size, h) }
        }
        return l
    }

    static func fnv1a(_ data: Data) -> UInt64 {
        var h: UInt64 = 0xcbf29ce484222325
        data.withUnsafeBytes { (buf: UnsafeRawBufferPointer) in
            for b in buf { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        }
        return h
    }
}
