import Foundation
import TestSupport
import Testing

/// Replays Tests/Attacks (hostile files made by make_attacks.py) and Tests/Regressions (inputs the
/// fuzzers found): each must exit with its code, print one line naming the problem, and leave
/// nothing at the output path.
@Suite struct AttackTests {
    struct Attack: Decodable, CustomStringConvertible, Sendable {
        let path: String
        let exit: Int32
        let message: String
        let why: String
        var description: String { path }
    }

    static let tests = URL(fileURLWithPath: Fixtures.root).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Tests").path

    /// The entries of `folder`/expected.json, each with the path of its file.
    static func load(_ folder: String) -> [Attack] {
        let data = FileManager.default.contents(atPath: "\(tests)/\(folder)/expected.json") ?? Data("[]".utf8)
        let attacks = (try? JSONDecoder().decode([Attack].self, from: data)) ?? []
        return attacks.map { Attack(path: "\(folder)/files/\($0.path)", exit: $0.exit, message: $0.message, why: $0.why) }
    }

    static let attacks = load("Attacks")
    static let regressions = load("Regressions")

    @Test func everyAttackIsListed() {
        #expect(Self.attacks.count >= 18)
        #expect(Self.regressions.count >= 1)
    }

    @Test(arguments: attacks + regressions)
    func attackIsRefused(attack: Attack) throws {
        let dir = TempDirectory()
        let result = try CommandRunner.run(["convert", Self.tests + "/" + attack.path, "-o", dir.path + "/out"])
        #expect(result.status == attack.exit, "\(attack.why): \(result.stderr)")
        #expect(result.stderr.hasPrefix("bertconv: error: "))
        #expect(result.stderr.contains(attack.message), "\(attack.why): \(result.stderr)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 || (lines.count == 2 && lines[1].hasPrefix("hint: ")))
        #expect(dir.contents.isEmpty)
    }
}
