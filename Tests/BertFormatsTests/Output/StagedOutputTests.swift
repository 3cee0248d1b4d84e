import Foundation
import TestSupport
import Testing
import BertCore
@testable import BertFormats

@Suite struct StagedOutputTests {
    private let dir = TempDirectory()

    @Test func commitMovesStagedDirectoryIntoPlace() throws {
        let out = dir.path + "/out"
        let staged = try StagedOutput.directory(at: out, force: false)
        try FileSink.write("x", to: staged.path("a.txt"))
        #expect(dir.contents.count == 1 && dir.contents[0].hasPrefix(".out.bertconv-"))
        try staged.commit()
        #expect(dir.contents == ["out"])
        #expect(FileBytes.exists(out + "/a.txt"))
    }

    @Test func abandonedStagingLeavesNothing() throws {
        do {
            let staged = try StagedOutput.directory(at: dir.path + "/out", force: false)
            try FileSink.write("x", to: staged.path("a.txt"))
        }
        #expect(dir.contents.isEmpty)
    }

    @Test func existingOutputNeedsForceAndIsReplacedWhole() throws {
        let out = dir.path + "/out"
        dir.write("out/old.txt", [1])
        #expect(throws: OutputError(path: out, .exists)) { try StagedOutput.directory(at: out, force: false) }
        let staged = try StagedOutput.directory(at: out, force: true)
        try FileSink.write("new", to: staged.path("new.txt"))
        try staged.commit()
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["new.txt"])
        #expect(dir.contents == ["out"])
    }

    @Test func symlinkAtOutputIsRefused() throws {
        let target = dir.path + "/target"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: false)
        try FileManager.default.createSymbolicLink(atPath: dir.path + "/link", withDestinationPath: target)
        #expect(throws: OutputError(path: dir.path + "/link", .isSymlink)) {
            try StagedOutput.directory(at: dir.path + "/link", force: true)
        }
    }

    @Test func missingParentIsAWriteFailure() {
        #expect {
            try StagedOutput.directory(at: dir.path + "/no/such/out", force: false)
        } throws: { error in
            (error as! OutputError).exitCategory == .outputFailed
        }
    }
}
