import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Writes output files safely: to a temporary name in the same folder, renamed into place only when
/// complete, and never over a file FundSim did not write (unless forced).
///
/// FundSim keeps a small ledger, `.fundsim-outputs`, in each output folder: one line per file it wrote,
/// with the file's size and a 64-bit FNV-1a hash. A file that is not in the ledger, or that changed since
/// (someone saved their own edits into it), is left alone unless `force` is set.
///
/// Runs into one folder at the same time take turns through `.fundsim-lock` (flock(2)) for the moment that
/// matters: the last check, the rename and the ledger update; the slow part, producing the temporary file,
/// runs in parallel. A ledger that cannot be saved fails the write. Temporary files (`.NAME.tmp-PID`) left
/// by a process that died are removed by the next write into that folder.
public struct SafeOutput: Sendable {
    public var force: Bool
    public init(force: Bool = false) { self.force = force }

    /// How long a write waits for another run's lock on the folder before it gives up, in seconds.
    public var lockTimeout: Double = 60
    /// Told once when a write has to wait for another process's lock (e.g. to print it).
    public var onWait: (@Sendable (String) -> Void)?

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
    public static let lockName = ".fundsim-lock"

    /// Makes sure `dir` is a folder FundSim can write into: an existing folder, or a new one whose parent
    /// exists (as `mkdir` does, never a chain of folders: a mistyped path is reported, not created).
    public static func prepareFolder(_ dir: String) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: dir, isDirectory: &isDir) {
            guard isDir.boolValue else { throw Failure(path: dir, reason: "it is a file, not a folder", hint: "choose a folder with --output") }
            return
        }
        let parent = (dir as NSString).deletingLastPathComponent
        guard fm.fileExists(atPath: parent.isEmpty ? "." : parent, isDirectory: &isDir), isDir.boolValue else {
            throw Failure(path: dir, reason: "the folder \(parent) does not exist",
                          hint: "create it first (mkdir -p \(dir)), or choose another folder with --output")
        }
        do {
            try fm.createDirectory(atPath: dir, withIntermediateDirectories: false)
        } catch {
            throw Failure(path: dir, reason: "cannot create the folder: \(Self.reason(error))")
        }
    }

    /// Produces a file at `path` by calling `produce` with a temporary path in the same folder.
    public func write(_ path: String, _ produce: (String) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw Failure(path: path, reason: "the folder \(dir) does not exist", hint: "create it, or choose another with --output")
        }
        // Refuse early, before the work of producing the file; checked again under the lock.
        try checkReplaceable(path, name, dir)
        let tmp = dir + "/." + name + ".tmp-\(getpid())"
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
        // Hash what reached the disk (a full disk can truncate silently), reading it in blocks.
        guard let stamp = Self.stamp(tmp) else {
            try? fm.removeItem(atPath: tmp)
            throw Failure(path: path, reason: "the written file cannot be read back")
        }
        let lock: FolderLock
        do {
            lock = try FolderLock(dir, timeout: lockTimeout, onWait: onWait)
        } catch {
            try? fm.removeItem(atPath: tmp)
            throw error
        }
        defer { lock.release() }
        Self.removeLeftovers(dir)
        do {
            try checkReplaceable(path, name, dir)
        } catch {
            try? fm.removeItem(atPath: tmp)
            throw error
        }
        if rename(tmp, path) != 0 {
            let err = String(cString: strerror(errno))
            try? fm.removeItem(atPath: tmp)
            throw Failure(path: path, reason: err)
        }
        var l = ledger(dir)
        l.entries[name] = stamp
        do {
            try l.save(dir)
        } catch {
            throw Failure(path: path, reason: "the file was written, but the ledger \(dir)/\(Self.ledgerName) cannot be saved: \(Self.reason(error))",
                          hint: "make the folder writable; until the ledger is saved, replacing this file needs --force")
        }
    }

    private func checkReplaceable(_ path: String, _ name: String, _ dir: String) throws {
        guard !force, FileManager.default.fileExists(atPath: path) else { return }
        if !ledger(dir).matches(name, path) {
            throw Failure(path: path, reason: "the file exists and FundSim did not write it, or it was changed since",
                          hint: "move it away, choose another --output folder, or pass --force to replace it")
        }
    }

    /// Replaces a user's own file (a scenario, not an output): only while it still holds `old`, the text
    /// read a moment ago; through a temporary file in the same folder renamed over it; after keeping `old`
    /// in `PATH.bak` when `backup` is set. The ledger is not involved: the file is the user's.
    ///
    /// - Throws: ``Failure`` when the file changed on disk since it was read (nothing is written), when the
    ///   backup cannot be kept, or when the new text cannot be written (the file is left as it was).
    public static func replace(_ path: String, expecting old: String, with new: String, backup: Bool = true,
                               changedHint: String? = "read it again and retry") throws {
        func unchanged() -> Bool { (try? String(contentsOfFile: path, encoding: .utf8)) == old }
        guard unchanged() else {
            throw Failure(path: path, reason: "the file changed on disk since it was read", hint: changedHint)
        }
        let dir = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        let folder = dir.isEmpty ? "." : dir
        let fm = FileManager.default
        if backup {
            let backupPath = path + ".bak"
            let backupTmp = folder + "/." + name + ".bak.tmp-\(getpid())"
            guard fm.createFile(atPath: backupTmp, contents: Data(old.utf8)), rename(backupTmp, backupPath) == 0 else {
                try? fm.removeItem(atPath: backupTmp)
                throw Failure(path: backupPath, reason: "cannot keep a backup of the file", hint: "make the folder writable")
            }
        }
        let tmp = folder + "/." + name + ".tmp-\(getpid())"
        guard fm.createFile(atPath: tmp, contents: Data(new.utf8)) else {
            throw Failure(path: path, reason: "the folder is not writable or the disk is full")
        }
        // Checked again just before the rename: an editor may have saved while the backup was written.
        guard unchanged() else {
            try? fm.removeItem(atPath: tmp)
            throw Failure(path: path, reason: "the file changed on disk since it was read", hint: changedHint)
        }
        if rename(tmp, path) != 0 {
            let err = String(cString: strerror(errno))
            try? fm.removeItem(atPath: tmp)
            throw Failure(path: path, reason: err)
        }
    }

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

    /// Writes text produced in chunks (a large CSV) safely: `produce` calls `emit` as often as it likes.
    public func write(_ path: String, chunks produce: (_ emit: (String) throws -> Void) throws -> Void) throws {
        try write(path) { tmp in
            guard FileManager.default.createFile(atPath: tmp, contents: nil), let h = FileHandle(forWritingAtPath: tmp) else {
                throw Failure(path: path, reason: "the folder is not writable or the disk is full")
            }
            defer { try? h.close() }
            var size = 0
            try produce { text in
                let data = Data(text.utf8)
                try h.write(contentsOf: data)
                size += data.count
            }
            try h.synchronize()
            let attrs = try? FileManager.default.attributesOfItem(atPath: tmp)
            if (attrs?[.size] as? NSNumber)?.intValue != size {
                throw Failure(path: path, reason: "the disk is full or a file size limit was reached")
            }
        }
    }

    /// Removes `.NAME.tmp-PID` files whose process no longer runs (a run killed mid-write leaves them).
    static func removeLeftovers(_ dir: String) {
        let me = getpid()
        for name in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] where name.hasPrefix(".") {
            guard let r = name.range(of: ".tmp-", options: .backwards), let pid = Int32(name[r.upperBound...]), pid > 0, pid != me else { continue }
            // kill(pid, 0) fails with ESRCH only when no such process exists (EPERM: it exists, owned by another user).
            if kill(pid, 0) != 0 && errno == ESRCH { try? FileManager.default.removeItem(atPath: dir + "/" + name) }
        }
    }

    static func reason(_ error: Error) -> String {
        if let f = error as? Failure { return f.reason }
        return "\(error)"
    }

    struct Ledger {
        var entries: [String: (size: Int, hash: UInt64)] = [:]

        func matches(_ name: String, _ path: String) -> Bool {
            guard let e = entries[name], let s = SafeOutput.stamp(path) else { return false }
            return s.size == e.size && s.hash == e.hash
        }

        func save(_ dir: String) throws {
            let text = entries.keys.sorted().map { "\($0)\t\(entries[$0]!.size)\t\(String(entries[$0]!.hash, radix: 16))" }.joined(separator: "\n") + "\n"
            let path = dir + "/" + SafeOutput.ledgerName
            let tmp = dir + "/." + String(SafeOutput.ledgerName.dropFirst()) + ".tmp-\(getpid())"
            guard FileManager.default.createFile(atPath: tmp, contents: Data(text.utf8)) else {
                throw Failure(path: path, reason: "the folder is not writable or the disk is full")
            }
            if rename(tmp, path) != 0 {
                let err = String(cString: strerror(errno))
                try? FileManager.default.removeItem(atPath: tmp)
                throw Failure(path: path, reason: err)
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

    /// A file's size and FNV-1a hash, read in blocks of 1 MiB so a large workbook is never held whole.
    static func stamp(_ path: String) -> (size: Int, hash: UInt64)? {
        guard let h = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? h.close() }
        var hash: UInt64 = 0xcbf29ce484222325
        var size = 0
        while true {
            let next: Data?
            do { next = try h.read(upToCount: 1 << 20) } catch { return nil }
            guard let block = next, !block.isEmpty else { break }
            size += block.count
            block.withUnsafeBytes { (buf: UnsafeRawBufferPointer) in
                for b in buf { hash = (hash ^ UInt64(b)) &* 0x100000001b3 }
            }
        }
        return (size, hash)
    }
}

/// An exclusive lock on an output folder, held through `.fundsim-lock` with flock(2); while it is held, the
/// file holds the holder's process id so that a waiting run can say who it waits for. The kernel drops the lock when its
/// process ends, however it ends, so a lock is never left behind.
///
/// Threads of one process (`run --jobs`) first take turns through `inProcess`, so a run never waits for itself.
final class FolderLock {
    private var fd: Int32
    private static let inProcess = NSLock()

    init(_ dir: String, timeout: Double, onWait: (@Sendable (String) -> Void)?) throws {
        let path = dir + "/" + SafeOutput.lockName
        FolderLock.inProcess.lock()
        fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            FolderLock.inProcess.unlock()
            throw SafeOutput.Failure(path: path, reason: "cannot open the lock file: " + String(cString: strerror(errno)))
        }
        let deadline = Date().addingTimeInterval(timeout)
        var told = false
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(fd)
                FolderLock.inProcess.unlock()
                throw SafeOutput.Failure(path: path, reason: "cannot lock the folder: \(reason)",
                                         hint: "the file system may not support locks (flock); choose a local --output folder")
            }
            let holder = FolderLock.holder(fd)
            guard Date() < deadline else {
                close(fd)
                FolderLock.inProcess.unlock()
                throw SafeOutput.Failure(path: dir, reason: "another FundSim run" + (holder.map { " (process \($0))" } ?? "") + " is writing into this folder",
                                         hint: "wait for it to finish, or choose another --output folder")
            }
            if !told {
                onWait?("waiting for " + (holder.map { "process \($0)" } ?? "another FundSim run") + ", which is writing into \(dir)\n")
                told = true
            }
            usleep(20_000)
        }
        let me = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = me.withUnsafeBufferPointer { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    private static func holder(_ fd: Int32) -> Int32? {
        let saved = errno
        defer { errno = saved }
        var buf = [UInt8](repeating: 0, count: 32)
        let n = buf.withUnsafeMutableBufferPointer { pread(fd, $0.baseAddress, $0.count, 0) }
        guard n > 0 else { return nil }
        return Int32(String(decoding: buf[0..<n], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Empties the file (no one holds it now; an output folder then reads the same after any run) and unlocks.
    func release() {
        guard fd >= 0 else { return }
        _ = ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
        FolderLock.inProcess.unlock()
    }

    deinit { release() }
}
